using System.Globalization;
using System.Runtime.InteropServices;

using EsxiImport.Diagnostics;
using EsxiImport.Fuse.Native;

namespace EsxiImport.Fuse.Connection;

/// <summary>
/// Mounts a FUSE file system with mount(2) and starts its server. The order matters: the
/// readers must run before anything touches the mount point, because every access (even stat)
/// blocks until INIT is answered; read_ahead_kb is written only after the INIT reply, because
/// INIT's max_readahead would clamp an earlier value.
/// </summary>
public static class FuseMount
{
    public static async Task<MountHandle> MountAsync(
        string mountPoint, IFuseRequestHandler handler, FuseMountOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FuseMountOptions();
        var fullPath = Path.TrimEndingDirectorySeparator(Path.GetFullPath(mountPoint));
        if (options.DetachStaleMount)
        {
            StaleMount.Detach(fullPath);
        }

        var viaHelper = options.UseFusermount ?? LibC.Geteuid() != 0;
        var device = viaHelper ? await Fusermount.MountAsync(fullPath, options, cancellationToken).ConfigureAwait(false) : FuseDevice.Open();
        FuseServer server;
        try
        {
            if (!viaHelper)
            {
                MountWithSyscall(device, fullPath, options);
            }

            server = new FuseServer(device, handler, options.Server);
            server.Start();
        }
        catch
        {
            device.Dispose();
            throw;
        }

        var handle = new MountHandle(fullPath, device, server, options.Server.Logger, viaHelper);
        try
        {
            FuseConnectionInfo info;
            try
            {
                info = await server.Initialized.WaitAsync(options.InitTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException e)
            {
                throw ToolError.Wrap(e, "fuse.mount.init-timeout", ErrorKind.Timeout, ("mountpoint", fullPath), ("seconds", options.InitTimeout.TotalSeconds));
            }

            handle.Connection = info;
            handle.Device = MountTable.Find(fullPath)?.Device;
            if (options.ReadAheadKb is { } kb && handle.Device is { } dev)
            {
                SetReadAhead(dev, kb, options.Server.Logger);
            }

            return handle;
        }
        catch
        {
            await handle.UnmountAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            throw;
        }
    }

    private static void MountWithSyscall(FuseDevice device, string fullPath, FuseMountOptions options)
    {
        var flags = LibC.MS_NOSUID | LibC.MS_NODEV | (options.ReadOnly ? LibC.MS_RDONLY : 0);
        var data = options.KernelData(device.Fd, LibC.Geteuid(), LibC.Getegid());
        if (LibC.Mount(options.Source, fullPath, options.FileSystemType, flags, data) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw ToolError.OfErrno("fuse.mount.failed", errno, ("mountpoint", fullPath), ("reason", LibC.Describe(errno)));
        }
    }

    /// <summary>Path of the bdi readahead knob of a mount's anonymous device ("0:52").</summary>
    public static string ReadAheadPath(string device) => $"/sys/class/bdi/{device}/read_ahead_kb";

    private static void SetReadAhead(string device, int kb, FuseLogger? logger)
    {
        try
        {
            File.WriteAllText(ReadAheadPath(device), kb.ToString(CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not fatal: reads still work with the kernel's 128 KiB, only slower against a slow backend.
            logger?.Invoke(FuseLogLevel.Warning, $"cannot set {ReadAheadPath(device)} to {kb}", e);
        }
    }
}
