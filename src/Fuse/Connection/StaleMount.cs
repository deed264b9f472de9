using System.Runtime.InteropServices;

using EsxiImport.Diagnostics;
using EsxiImport.Fuse.Native;
using EsxiImport.Fuse.Protocol;

namespace EsxiImport.Fuse.Connection;

/// <summary>
/// Clears what a dead daemon left behind: its mount stays and every access fails with ENOTCONN
/// until someone unmounts it (field bug FB-42). A lazy unmount removes it even while busy.
/// </summary>
public static class StaleMount
{
    /// <summary>
    /// Lazily unmounts whatever is mounted at <paramref name="mountPoint"/>. Returns true when
    /// something was detached, false when nothing was mounted there (EINVAL) or the path does not
    /// exist (ENOENT); any other failure (EPERM as non-root) is a <see cref="ToolError"/>.
    /// </summary>
    public static bool Detach(string mountPoint)
    {
        if (LibC.Umount2(mountPoint, LibC.MNT_DETACH) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno is Errno.EINVAL or Errno.ENOENT)
        {
            return false;
        }

        throw ToolError.OfErrno("fuse.stale-mount.detach-failed", errno, ("mountpoint", mountPoint), ("reason", LibC.Describe(errno)));
    }
}
