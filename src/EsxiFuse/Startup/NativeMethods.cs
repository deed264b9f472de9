using System.Runtime.InteropServices;

namespace EsxiImport.EsxiFuse.Startup;

/// <summary>
/// The libc calls the startup needs and .NET does not offer: user and group lookup, the
/// privilege drop, reads that must not block, and looking at a mount without trusting caches. glibc's set*id wrappers apply the change to every thread of
/// the process, which matters because the runtime has started threads long before we drop.
/// </summary>
internal static partial class NativeMethods
{
    private const string LibC = "libc";

    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int ESRCH = 3;
    public const int EBADF = 9;
    public const int EPERM = 1;
    public const int ERANGE = 34;
    public const int EACCES = 13;
    public const int ENOTCONN = 107;
    public const int ECONNABORTED = 103;

    public const short POLLIN = 1;

    /// <summary>statx: ask the file system itself, never the cached attributes.</summary>
    public const int AT_STATX_FORCE_SYNC = 0x2000;

    /// <summary>struct pollfd.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    /// <summary>glibc's <c>struct passwd</c>; only the ids are read.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Passwd
    {
        public nint Name;
        public nint Password;
        public uint Uid;
        public uint Gid;
        public nint Gecos;
        public nint Dir;
        public nint Shell;
    }

    /// <summary>glibc's <c>struct group</c>; only the id is read.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Group
    {
        public nint Name;
        public nint Password;
        public uint Gid;
        public nint Members;
    }

    [LibraryImport(LibC, EntryPoint = "getpwnam_r", StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int GetPwNamR(string name, Passwd* pwd, byte* buffer, nuint size, Passwd** result);

    [LibraryImport(LibC, EntryPoint = "getpwuid_r")]
    public static unsafe partial int GetPwUidR(uint uid, Passwd* pwd, byte* buffer, nuint size, Passwd** result);

    [LibraryImport(LibC, EntryPoint = "getgrnam_r", StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int GetGrNamR(string name, Group* grp, byte* buffer, nuint size, Group** result);

    [LibraryImport(LibC, EntryPoint = "setgroups", SetLastError = true)]
    public static unsafe partial int SetGroups(nuint size, uint* list);

    [LibraryImport(LibC, EntryPoint = "setresgid", SetLastError = true)]
    public static partial int SetResGid(uint rgid, uint egid, uint sgid);

    [LibraryImport(LibC, EntryPoint = "setresuid", SetLastError = true)]
    public static partial int SetResUid(uint ruid, uint euid, uint suid);

    [LibraryImport(LibC, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(LibC, EntryPoint = "write", SetLastError = true)]
    public static unsafe partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport(LibC, EntryPoint = "read", SetLastError = true)]
    public static unsafe partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport(LibC, EntryPoint = "dup2", SetLastError = true)]
    public static partial int Dup2(int oldFd, int newFd);

    [LibraryImport(LibC, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags);

    [LibraryImport(LibC, EntryPoint = "poll", SetLastError = true)]
    public static unsafe partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    /// <summary>statx(2) into a buffer of at least 256 bytes (only the result code is used).</summary>
    [LibraryImport(LibC, EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static unsafe partial int Statx(int dirFd, string path, int flags, uint mask, byte* buffer);

    /// <summary>realpath(3) into a buffer of PATH_MAX (4096) bytes; returns null on failure.</summary>
    [LibraryImport(LibC, EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static unsafe partial byte* RealPath(string path, byte* resolved);

    [LibraryImport(LibC, EntryPoint = "geteuid")]
    public static partial uint GetEuid();

    [LibraryImport(LibC, EntryPoint = "getegid")]
    public static partial uint GetEgid();

    /// <summary>setfsuid(2): the calling thread's file system uid (the kernel's creds are per thread); returns the old one.</summary>
    [LibraryImport(LibC, EntryPoint = "setfsuid")]
    public static partial int SetFsUid(uint uid);

    /// <summary>setfsgid(2), per thread like <see cref="SetFsUid"/>.</summary>
    [LibraryImport(LibC, EntryPoint = "setfsgid")]
    public static partial int SetFsGid(uint gid);

    [LibraryImport(LibC, EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    /// <summary><c>strerror</c> text of an errno, as the kernel's users know it.</summary>
    public static string ErrorText(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}
