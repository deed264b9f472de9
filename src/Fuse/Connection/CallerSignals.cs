using System.Globalization;

namespace EsxiImport.Fuse.Connection;

/// <summary>
/// Whether the thread that made a FUSE request is being killed. The kernel sends INTERRUPT for any
/// signal, also one the caller handles and then goes on; answering EINTR there makes open() or
/// read() of a plain file fail with "Interrupted system call", which programs such as qemu-img do
/// not expect from a file (libfuse ignores interrupts unless mounted with -o intr). A fatal signal
/// is different: the kernel marks SIGKILL pending in every thread of the dying process, and that
/// caller should be released at once.
/// </summary>
internal static class CallerSignals
{
    private const ulong SigKillBit = 1UL << (9 - 1);

    /// <summary>
    /// True when <paramref name="tid"/> has SIGKILL pending, or cannot be inspected (no pid, or the
    /// thread is gone): in those cases cancelling loses nothing.
    /// </summary>
    public static bool IsDying(uint tid)
    {
        if (tid == 0)
        {
            return true;
        }

        try
        {
            foreach (var line in File.ReadLines($"/proc/{tid.ToString(CultureInfo.InvariantCulture)}/status"))
            {
                if ((line.StartsWith("SigPnd:", StringComparison.Ordinal) || line.StartsWith("ShdPnd:", StringComparison.Ordinal))
                    && ulong.TryParse(line.AsSpan(7).Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var mask)
                    && (mask & SigKillBit) != 0)
                {
                    return true;
                }
            }

            return false;
        }
        catch (IOException)
        {
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }
}
