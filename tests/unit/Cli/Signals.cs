using System.Runtime.InteropServices;

namespace EsxiImport.UnitTests.Cli;

/// <summary>Sends a signal the way an init system or the plugin would (the tool itself never sends one).</summary>
internal static partial class Signals
{
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
