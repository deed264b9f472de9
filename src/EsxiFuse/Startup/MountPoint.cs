using System.Runtime.InteropServices;

using EsxiImport.Diagnostics;

namespace EsxiImport.EsxiFuse.Startup;

/// <summary>
/// The mount path before mounting: a stale FUSE mount left by a crashed instance is detached
/// first (FB-42; its directory would answer "Transport endpoint is not connected"), then the
/// path must be an existing directory.
/// </summary>
public static class MountPoint
{
    /// <summary>
    /// Lazily detaches whatever is mounted at <paramref name="path"/>. ENOENT (no such path) and
    /// EINVAL (not a mount point) mean there is nothing to detach.
    /// </summary>
    public static void DetachStale(string path)
    {
        if (NativeMethods.Umount2(path, NativeMethods.MntDetach) == 0)
        {
            return;
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno is not (NativeMethods.ENOENT or NativeMethods.EINVAL))
        {
            throw ToolError.Wrap(OsError.Of(errno), "esxi-folder-fuse.stale-mount.unmount");
        }
    }

    /// <summary>Fails with the mount context when the path is missing or not a directory.</summary>
    public static void CheckDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            return;
        }

        var cause = File.Exists(path)
            ? ToolError.Of("esxi-folder-fuse.mount-path.not-directory", ErrorKind.InvalidInput)
            : ToolError.Of("esxi-folder-fuse.mount-path.missing", ErrorKind.NotFound);
        throw ToolError.Wrap(cause, "esxi-folder-fuse.mount.failed", ("path", DebugQuote.Of(path)));
    }
}