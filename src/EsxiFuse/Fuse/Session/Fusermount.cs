using System.Diagnostics;

using EsxiImport.Diagnostics;

namespace EsxiImport.EsxiFuse.Fuse.Session;

/// <summary>
/// Unmounting through the setuid helper fusermount3, for a process that is no longer root
/// (after dropping privileges umount2 fails with EPERM). fusermount3 allows it when the mount
/// records the caller's uid in user_id=.
/// </summary>
public static class Fusermount
{
    public const string Program = "fusermount3";

    /// <summary>Runs <c>fusermount3 -u -z &lt;mountPoint&gt;</c>; throws a <see cref="ToolError"/> when it fails.</summary>
    public static async Task UnmountLazilyAsync(string mountPoint, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(Program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-u");
        start.ArgumentList.Add("-z");
        start.ArgumentList.Add(mountPoint);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException(Program + " did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw ToolError.Wrap(e, "fuse.fusermount.failed", ("mountpoint", mountPoint), ("reason", e.Message));
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                var reason = (await stderr.ConfigureAwait(false)).Trim();
                throw ToolError.Of("fuse.fusermount.failed", ErrorKind.System, ("mountpoint", mountPoint), ("reason", reason.Length > 0 ? reason : "exit code " + process.ExitCode));
            }
        }
    }
}
