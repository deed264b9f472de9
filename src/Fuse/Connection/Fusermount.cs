using System.Diagnostics;
using System.Globalization;

using EsxiImport.Diagnostics;
using EsxiImport.Fuse.Native;

namespace EsxiImport.Fuse.Connection;

/// <summary>
/// Mounting and unmounting through the setuid helper fusermount3, for a process that is not (or
/// no longer) root. fusermount3 opens /dev/fuse, mounts, and passes the descriptor back over a
/// socket named by <c>_FUSE_COMMFD</c> (SCM_RIGHTS). A non-root unmount (after dropping privileges
/// umount2 fails with EPERM) is allowed when the mount records the caller's uid in user_id=.
/// </summary>
public static class Fusermount
{
    public const string Program = "fusermount3";

    /// <summary>Runs <c>fusermount3 -u -z &lt;mountPoint&gt;</c>; throws a <see cref="ToolError"/> when it fails.</summary>
    public static async Task UnmountLazilyAsync(string mountPoint, CancellationToken cancellationToken = default)
    {
        using (var process = Start(["-u", "-z", mountPoint], null, "fuse.fusermount.failed", mountPoint))
        {
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw Failure("fuse.fusermount.failed", mountPoint, process, await stderr.ConfigureAwait(false));
            }
        }
    }

    /// <summary>
    /// Mounts <paramref name="mountPoint"/> with <c>fusermount3 -o &lt;options&gt; -- &lt;mountPoint&gt;</c>
    /// and returns the /dev/fuse descriptor it hands back.
    /// </summary>
    public static async Task<FuseDevice> MountAsync(string mountPoint, FuseMountOptions options, CancellationToken cancellationToken = default)
    {
        var errno = DescriptorPassing.CreatePair(out var ours, out var theirs);
        if (errno != 0)
        {
            throw ToolError.OfErrno("fuse.fusermount.mount-failed", errno, ("mountpoint", mountPoint), ("reason", LibC.Describe(errno)));
        }

        try
        {
            var commFd = theirs.ToString(CultureInfo.InvariantCulture);
            using (var process = Start(["-o", HelperOptions(options), "--", mountPoint], commFd, "fuse.fusermount.mount-failed", mountPoint))
            {
                LibC.Close(theirs);
                theirs = -1;
                var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
                var fd = await Task.Run(() => DescriptorPassing.Receive(ours), cancellationToken).ConfigureAwait(false);
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                if (fd < 0 || process.ExitCode != 0)
                {
                    if (fd >= 0)
                    {
                        LibC.Close(fd);
                    }

                    throw Failure("fuse.fusermount.mount-failed", mountPoint, process, await stderr.ConfigureAwait(false));
                }

                LibC.Fcntl(fd, LibC.F_SETFD, LibC.FD_CLOEXEC);
                LibC.Fcntl(fd, LibC.F_SETFL, LibC.Fcntl(fd, LibC.F_GETFL, 0) | LibC.O_NONBLOCK);
                return FuseDevice.FromDescriptor(fd);
            }
        }
        finally
        {
            LibC.Close(ours);
            if (theirs >= 0)
            {
                LibC.Close(theirs);
            }
        }
    }

    /// <summary>Starts fusermount3 with <paramref name="arguments"/>; a helper that cannot start is an error of <paramref name="messageId"/>.</summary>
    private static Process Start(IEnumerable<string> arguments, string? commFd, string messageId, string mountPoint)
    {
        var start = new ProcessStartInfo(Program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (commFd is not null)
        {
            start.Environment["_FUSE_COMMFD"] = commFd;
        }

        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException(Program + " did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw ToolError.Wrap(e, messageId, ("mountpoint", mountPoint), ("reason", e.Message));
        }
    }

    /// <summary>A failed run: its stderr says why, else its exit code.</summary>
    private static ToolError Failure(string messageId, string mountPoint, Process process, string stderr)
    {
        var reason = stderr.Trim();
        return ToolError.Of(messageId, ErrorKind.System, ("mountpoint", mountPoint), ("reason", reason.Length > 0 ? reason : "exit code " + process.ExitCode));
    }

    /// <summary>The -o string for fusermount3: its own fsname/subtype plus the kernel options it passes on.</summary>
    public static string HelperOptions(FuseMountOptions options)
    {
        var parts = new List<string> { options.ReadOnly ? "ro" : "rw", "nosuid", "nodev", "fsname=" + options.Source };
        if (options.Subtype is { Length: > 0 } subtype)
        {
            parts.Add("subtype=" + subtype);
        }

        if (options.AllowOther)
        {
            parts.Add("allow_other");
        }

        if (options.DefaultPermissions)
        {
            parts.Add("default_permissions");
        }

        if (options.MaxRead is { } maxRead)
        {
            parts.Add(FormattableString.Invariant($"max_read={maxRead}"));
        }

        return string.Join(',', parts);
    }
}
