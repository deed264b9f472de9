using System.Runtime.InteropServices;

namespace EsxiImport.Fuse.Protocol.Wire;

/// <summary><c>struct fuse_read_in</c> (40 bytes), the body of READ, READDIR and READDIRPLUS.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct ReadIn : IWireStruct
{
    public static int WireSize => 40;

    public ulong Fh;

    /// <summary>A byte offset for READ; the cookie of the next entry for READDIR(PLUS).</summary>
    public ulong Offset;
    public uint Size;
    public uint ReadFlags;
    public ulong LockOwner;
    public uint Flags;
    public uint Padding;
}
