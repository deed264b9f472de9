using System.Runtime.InteropServices;

namespace EsxiImport.UnitTests.Cli;

/// <summary>
/// Copies of a descriptor at numbers the kernel picks as free. Tests run in parallel in one
/// process: dup2 onto a chosen number would silently close whatever another test had open there.
/// </summary>
internal static partial class FreeDescriptor
{
    /// <summary>A new descriptor for the same open file, at the lowest free number.</summary>
    public static int Dup(int fd)
    {
        var copy = NativeDup(fd);
        return copy >= 0 ? copy : throw new InvalidOperationException($"dup({fd}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [LibraryImport("libc", EntryPoint = "dup", SetLastError = true)]
    private static partial int NativeDup(int fd);
}
