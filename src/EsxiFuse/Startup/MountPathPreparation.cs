using System.Runtime.InteropServices;
using System.Text;

using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Cli;
using EsxiImport.EsxiFuse.Os;
using EsxiImport.Fuse.Connection;
using EsxiImport.Fuse.Native;
using EsxiImport.Fuse.Protocol;

namespace EsxiImport.EsxiFuse.Startup;

/// <summary>
/// The mount path before mounting: a stale mount left by a crashed instance of this tool is
/// detached first (FB-42; its directory would answer "Transport endpoint is not connected"),
/// then the path must be an existing directory. Nothing else is ever unmounted: another file
/// system at the path, or an instance that is still alive, is an early error naming it. (A mount
/// point, in the FUSE layer and the tests, is the path of a mount that exists.)
/// </summary>
public static class MountPathPreparation
{
    private const int O_PATH = 0x200000;
    private const int O_DIRECTORY = 0x10000;
    private const int O_CLOEXEC = 0x80000;

    /// <summary>How long a mounted instance may take to answer before it counts as alive but hung.</summary>
    private static readonly TimeSpan ProbeLimit = TimeSpan.FromSeconds(3);

    /// <summary>What a look at a FUSE mount's root found.</summary>
    internal enum Liveness
    {
        /// <summary>The daemon is gone: the kernel answers ENOTCONN.</summary>
        Dead,

        /// <summary>The daemon answered.</summary>
        Alive,

        /// <summary>The mount does not let this user in (no allow_other): alive or dead cannot be told.</summary>
        Closed,

        /// <summary>The daemon did not answer in time: alive, but hung.</summary>
        Silent,
    }

    /// <summary>
    /// Detaches a dead mount of this tool (file system type <paramref name="fileSystemType"/>) at
    /// <paramref name="path"/>; nothing mounted or no such path is fine, whoever runs the tool.
    /// </summary>
    public static void DetachStale(string path, string fileSystemType)
    {
        var entry = Find(path);
        if (entry is null)
        {
            return;
        }

        var quoted = DebugQuote.Of(path);
        if (entry.FileSystemType != fileSystemType)
        {
            throw ToolError.Wrap(
                ToolError.Of("esxi-folder-fuse.mount-path.occupied", ErrorKind.InvalidInput, ("type", entry.FileSystemType), ("source", DebugQuote.Of(entry.Source))),
                "esxi-folder-fuse.mount.failed",
                ("path", quoted));
        }

        switch (Probe(path))
        {
            case Liveness.Alive or Liveness.Silent:
                throw ToolError.Wrap(
                    ToolError.Of("esxi-folder-fuse.mount-path.live-instance", ErrorKind.InvalidInput, ("type", entry.FileSystemType)),
                    "esxi-folder-fuse.mount.failed",
                    ("path", quoted));
            case Liveness.Closed when LibC.Geteuid() == 0:
                throw ToolError.Wrap(
                    ToolError.Of("esxi-folder-fuse.mount-path.closed-instance", ErrorKind.InvalidInput, ("type", entry.FileSystemType)),
                    "esxi-folder-fuse.mount.failed",
                    ("path", quoted));
        }

        try
        {
            StaleMount.Detach(path);
        }
        catch (ToolError e) when (e.Errno is { } errno)
        {
            var cause = errno == Errno.EPERM
                ? ToolError.Wrap(OsError.Of(errno), "esxi-folder-fuse.stale-mount.not-permitted", ("type", entry.FileSystemType), ("source", DebugQuote.Of(entry.Source)))
                : OsError.Of(errno);
            throw ToolError.Wrap(cause, "esxi-folder-fuse.stale-mount.unmount");
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

    /// <summary>
    /// After the privilege drop the tool unmounts through fusermount3, which has to reach the
    /// mount path as the new user: a folder on the way that <paramref name="uid"/> may not search
    /// (a mount under <c>/root</c>) would leave the mount behind when the tool ends. So that is an
    /// early error, found by looking up the folder with the new ids on a thread of its own (file
    /// system ids are per thread, and fusermount3 checks the same way).
    /// </summary>
    public static void CheckReachable(string path, uint uid, uint gid)
    {
        var folder = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path))) ?? "/";
        var errno = 0;
        var look = new Thread(() => errno = OpenAs(folder, uid, gid));
        look.Start();
        look.Join();
        if (errno is Errno.EACCES or Errno.EPERM)
        {
            throw ToolError.Wrap(
                ToolError.Wrap(OsError.Of(errno), "esxi-folder-fuse.mount-path.unreachable", ("uid", uid), ("folder", DebugQuote.Of(folder))),
                "esxi-folder-fuse.mount.failed",
                ("path", DebugQuote.Of(path)));
        }
    }

    private static unsafe int OpenAs(string folder, uint uid, uint gid)
    {
        // Only the new group, as after the drop: a supplementary group of root's (0) would
        // otherwise grant or deny by the folder's group bits where the new user gets its "other" bits.
        // This thread exists only for the look and ends after it, so its groups need no restoring.
        // Without the right to change them (not root) the drop itself fails later, with its own error.
        var only = gid;
        _ = NativeMethods.SetThreadGroups(1, &only);

        var oldGid = NativeMethods.SetFsGid(gid);
        var oldUid = NativeMethods.SetFsUid(uid);
        try
        {
            // "folder/." needs search permission on the folder itself and on every one above it.
            var fd = LibC.Open(Path.Join(folder, "."), O_PATH | O_DIRECTORY | O_CLOEXEC);
            if (fd < 0)
            {
                return Marshal.GetLastPInvokeError();
            }

            _ = LibC.Close(fd);
            return 0;
        }
        finally
        {
            NativeMethods.SetFsUid((uint)oldUid);
            NativeMethods.SetFsGid((uint)oldGid);
        }
    }

    /// <summary>
    /// The newest mount at <paramref name="path"/> per /proc/self/mountinfo (which never touches
    /// the mount), or null. The kernel lists the path with symbolic links resolved, so the
    /// folder it is in is resolved too; the path itself may be a dead mount that cannot be looked at.
    /// </summary>
    internal static MountEntry? Find(string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var parent = Path.GetDirectoryName(full);
        if (parent is not null && Resolve(parent) is { } real)
        {
            full = Path.Join(real, Path.GetFileName(full));
        }

        return MountTable.Read().LastOrDefault(e => e.MountPoint == full);
    }

    /// <summary>
    /// Asks the file system at <paramref name="path"/> for the attributes of its root, bypassing
    /// the kernel's cache, on a thread of its own: a hung daemon must not hang the start.
    /// </summary>
    internal static Liveness Probe(string path)
    {
        var look = Task.Factory.StartNew(() => StatxErrno(path), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (!look.Wait(ProbeLimit))
        {
            return Liveness.Silent;
        }

        return look.Result switch
        {
            Errno.ENOTCONN or Errno.ECONNABORTED => Liveness.Dead,
            Errno.EACCES or Errno.EPERM => Liveness.Closed,
            _ => Liveness.Alive,
        };
    }

    private static unsafe int StatxErrno(string path)
    {
        var buffer = stackalloc byte[256];
        return NativeMethods.Statx(-100 /* AT_FDCWD */, path, NativeMethods.AT_STATX_FORCE_SYNC, 0x7ff /* STATX_BASIC_STATS */, buffer) == 0
            ? 0
            : Marshal.GetLastPInvokeError();
    }

    private static unsafe string? Resolve(string path)
    {
        var buffer = stackalloc byte[4096];
        var result = NativeMethods.RealPath(path, buffer);
        return result is null ? null : Encoding.UTF8.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(result));
    }
}
