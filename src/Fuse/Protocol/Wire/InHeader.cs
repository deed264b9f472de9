using System.Runtime.InteropServices;

namespace EsxiImport.Fuse.Protocol.Wire;

/// <summary><c>struct fuse_in_header</c> (40 bytes): the start of every request.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct InHeader : IWireStruct
{
    public static int WireSize => 40;

    public uint Len;
    public uint Opcode;
    public ulong Unique;
    public ulong NodeId;
    public uint Uid;
    public uint Gid;
    public uint Pid;

    /// <summary>Bytes of request extensions after the body, in 8-byte units (7.38; 0 unless negotiated).</summary>
    public ushort TotalExtlen;
    public ushort Padding;
}
