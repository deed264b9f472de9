using System.Runtime.InteropServices;

namespace EsxiImport.EsxiFuse.Os;

/// <summary>
/// The libc calls the startup needs beyond those of the FUSE layer's <see cref="EsxiImport.Fuse.Native.LibC"/>
/// (open, read, close, poll, strerror) and .NET does not offer: user and group lookup, the privilege
/// drop, the write and dup2 of the ready fd, and looking at a mount without trusting caches. glibc's set*id wrappers apply the change to every thread of
/// the process, which matters because the runtime has started threads long before we drop.
/// </summary>
internal static partial class NativeMethods
{
    private const string Library = "libc";

    /// <summary>statx: ask the file system itself, never the cached attributes.</summary>
    public const int AT_STATX_FORCE_SYNC = 0x2000;

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

    [LibraryImport(Library, EntryPoint = "getpwnam_r", StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int GetPwNamR(string name, Passwd* pwd, byte* buffer, nuint size, Passwd** result);

    [LibraryImport(Library, EntryPoint = "getpwuid_r")]
    public static unsafe partial int GetPwUidR(uint uid, Passwd* pwd, byte* buffer, nuint size, Passwd** result);

    [LibraryImport(Library, EntryPoint = "getgrnam_r", StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int GetGrNamR(string name, Group* grp, byte* buffer, nuint size, Group** result);

    [LibraryImport(Library, EntryPoint = "setgroups", SetLastError = true)]
    public static unsafe partial int SetGroups(nuint size, uint* list);

    [LibraryImport(Library, EntryPoint = "setresgid", SetLastError = true)]
    public static partial int SetResGid(uint rgid, uint egid, uint sgid);

    [LibraryImport(Library, EntryPoint = "setresuid", SetLastError = true)]
    public static partial int SetResUid(uint ruid, uint euid, uint suid);

    [LibraryImport(Library, EntryPoint = "write", SetLastError = true)]
    public static unsafe partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport(Library, EntryPoint = "dup2", SetLastError = true)]
    public static partial int Dup2(int oldFd, int newFd);

    /// <summary>statx(2) into a buffer of at least 256 bytes (only the result code is used).</summary>
    [LibraryImport(Library, EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static unsafe partial int Statx(int dirFd, string path, int flags, uint mask, byte* buffer);

    /// <summary>realpath(3) into a buffer of PATH_MAX (4096) bytes; returns null on failure.</summary>
    [LibraryImport(Library, EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static unsafe partial byte* RealPath(string path, byte* resolved);

    /// <summary>setfsuid(2): the calling thread's file system uid (the kernel's creds are per thread); returns the old one.</summary>
    [LibraryImport(Library, EntryPoint = "setfsuid")]
    public static partial int SetFsUid(uint uid);

    /// <summary>setfsgid(2), per thread like <see cref="SetFsUid"/>.</summary>
    [LibraryImport(Library, EntryPoint = "setfsgid")]
    public static partial int SetFsGid(uint gid);

    /// <summary>
    /// The raw setgroups system call: unlike glibc's wrapper it changes the supplementary groups
    /// of the calling thread only (the kernel's creds are per thread).
    /// </summary>
    public static unsafe int SetThreadGroups(nuint size, uint* list) =>
        (int)Syscall(SetGroupsSyscall(), (nint)size, (nint)list);

    private static nint SetGroupsSyscall() => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 116,
        Architecture.Arm64 => 159,
        var other => throw new PlatformNotSupportedException("setgroups system call number on " + other),
    };

    [LibraryImport(Library, EntryPoint = "syscall", SetLastError = true)]
    private static partial nint Syscall(nint number, nint first, nint second);
}
