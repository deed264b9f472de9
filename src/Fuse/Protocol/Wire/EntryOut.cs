using System.Runtime.InteropServices;

namespace EsxiImport.Fuse.Protocol.Wire;

/// <summary><c>struct fuse_entry_out</c> (128 bytes): the LOOKUP reply and the head of a direntplus.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct EntryOut : IWireStruct
{
    public static int WireSize => 128;

    /// <summary>The inode number; 0 with a nonzero <see cref="EntryValid"/> is a cached negative lookup.</summary>
    public ulong NodeId;

    /// <summary>NodeId and generation together must be unique for the file system's lifetime.</summary>
    public ulong Generation;
    public ulong EntryValid;
    public ulong AttrValid;
    public uint EntryValidNsec;
    public uint AttrValidNsec;
    public FuseAttr Attr;
}
