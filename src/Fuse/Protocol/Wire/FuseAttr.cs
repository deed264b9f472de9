using System.Runtime.InteropServices;

namespace EsxiImport.Fuse.Protocol.Wire;

/// <summary><c>struct fuse_attr</c> (88 bytes since 7.9).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct FuseAttr : IWireStruct
{
    public static int WireSize => 88;

    public ulong Ino;
    public ulong Size;
    /// <summary>Allocated size in 512-byte units.</summary>
    public ulong Blocks;
    public ulong Atime;
    public ulong Mtime;
    public ulong Ctime;
    public uint AtimeNsec;
    public uint MtimeNsec;
    public uint CtimeNsec;
    public uint Mode;
    public uint Nlink;
    public uint Uid;
    public uint Gid;
    public uint Rdev;
    /// <summary>Becomes <c>st_blksize</c>; cp, cat and cmp size their reads by it.</summary>
    public uint Blksize;
    public uint Flags;
}
