using System.Runtime.InteropServices;

namespace EsxiImport.EsxiFuse.Os;

/// <summary>
/// The libc calls the startup needs beyond those of the FUSE layer's <see cref="EsxiImport.Fuse.Native.LibC"/>
/// (open, read, close, strerror) and .NET does not offer: user and group lookup, the privilege drop,
/// and the write and dup2 of the ready fd. glibc's set*id wrappers apply the change to every thread of
/// the process, which matters because the runtime has started threads long before we drop.
/// </summary>
internal static partial class NativeMethods
{
    private const string Library = "libc";

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
}
