using System.Runtime.InteropServices;

using EsxiImport.Diagnostics;
using EsxiImport.Fuse.Native;
using EsxiImport.Fuse.Protocol;

namespace EsxiImport.Fuse.Connection;

/// <summary>
/// A mounted file system and its server. Disposing it unmounts (lazily) and waits for the
/// server to end; <see cref="UnmountAsync"/> does the same with a chosen time budget.
/// </summary>
public sealed class MountHandle : IAsyncDisposable
{
    public static readonly TimeSpan DefaultUnmountTimeout = TimeSpan.FromSeconds(5);

    private readonly FuseDevice _device;
    private readonly FuseServer _server;
    private readonly FuseLogger? _logger;
    private readonly Lazy<Task<bool>> _unmount;
    private TimeSpan _timeout = DefaultUnmountTimeout;

    private readonly bool _mountedByHelper;
    private bool _leaveMounted;

    internal MountHandle(string mountPoint, FuseDevice device, FuseServer server, FuseLogger? logger, bool mountedByHelper = false)
    {
        _mountedByHelper = mountedByHelper;
        MountPoint = mountPoint;
        _device = device;
        _server = server;
        _logger = logger;
        _unmount = new Lazy<Task<bool>>(() => UnmountCoreAsync(_timeout));
        Completion = server.ReadersEnded;
    }

    public string MountPoint { get; }

    /// <summary>What INIT negotiated (set once mounting succeeded).</summary>
    public FuseConnectionInfo? Connection { get; internal set; }

    /// <summary>The mount's anonymous device, "0:N", from /proc/self/mountinfo.</summary>
    public string? Device { get; internal set; }

    /// <summary>The server, for its counters.</summary>
    public FuseServer Server => _server;

    /// <summary>Completes when the kernel ended the connection (unmounted by anyone) or the readers stopped.</summary>
    public Task<ServerEnd> Completion { get; }

    /// <summary>
    /// Detaches the mount (umount2 MNT_DETACH as root, <c>fusermount3 -u -z</c> when not root or
    /// mounted through fusermount3), keeps
    /// serving until the kernel ends the connection (open files may still read), then drains the
    /// running handlers. Whatever is still going when <paramref name="timeout"/> is up is cut off:
    /// the readers stop, handlers are cancelled and answered EINTR, and closing the device aborts
    /// the connection. Returns true when everything ended on its own within the time. Safe to call
    /// more than once; later calls wait for the first.
    /// </summary>
    public Task<bool> UnmountAsync(TimeSpan timeout)
    {
        _timeout = timeout;
        return _unmount.Value;
    }

    /// <summary>
    /// Stops serving and closes the connection without unmounting: the mount stays, dead
    /// (<c>Transport endpoint is not connected</c>), for its owner to unmount, as a daemon that is
    /// killed leaves it. Running handlers get until <paramref name="timeout"/> to answer. Like
    /// <see cref="UnmountAsync"/> it happens once; whichever of the two is called first decides.
    /// </summary>
    public Task<bool> LeaveMountedAsync(TimeSpan timeout)
    {
        _leaveMounted = !_unmount.IsValueCreated;
        return UnmountAsync(timeout);
    }

    public async ValueTask DisposeAsync() => await UnmountAsync(DefaultUnmountTimeout).ConfigureAwait(false);

    private async Task<bool> UnmountCoreAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        if (_leaveMounted)
        {
            // The readers look at the stop flag between polls of the device.
            _server.RequestStop();
        }
        else
        {
            try
            {
                await DetachAsync().ConfigureAwait(false);
            }
            catch (ToolError e)
            {
                _logger?.Invoke(FuseLogLevel.Error, "unmount failed", e);
            }
        }

        var clean = await WaitAsync(_server.ReadersEnded, deadline).ConfigureAwait(false);
        if (!clean)
        {
            _server.RequestStop();
            await WaitAsync(_server.ReadersEnded, DateTime.UtcNow + TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }

        var remaining = deadline - DateTime.UtcNow;
        var drained = await _server.DrainAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero).ConfigureAwait(false);
        _device.Dispose();
        return clean && drained;
    }

    private async Task DetachAsync()
    {
        // Not root (any more), or mounted by fusermount3: the helper may unmount what records our uid.
        if (LibC.Geteuid() != 0 || _mountedByHelper)
        {
            await Fusermount.UnmountLazilyAsync(MountPoint).ConfigureAwait(false);
            return;
        }

        if (LibC.Umount2(MountPoint, LibC.MNT_DETACH) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is not (Errno.EINVAL or Errno.ENOENT))
            {
                throw ToolError.OfErrno("fuse.unmount.failed", errno, ("mountpoint", MountPoint), ("reason", LibC.Describe(errno)));
            }
        }
    }

    private static async Task<bool> WaitAsync(Task task, DateTime deadline)
    {
        var left = deadline - DateTime.UtcNow;
        if (left <= TimeSpan.Zero)
        {
            return task.IsCompleted;
        }

        try
        {
            await task.WaitAsync(left).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
