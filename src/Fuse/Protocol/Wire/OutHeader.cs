using System.Runtime.InteropServices;

namespace EsxiImport.Fuse.Protocol.Wire;

/// <summary><c>struct fuse_out_header</c> (16 bytes): the start of every reply.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct OutHeader : IWireStruct
{
    public static int WireSize => 16;

    /// <summary>Total reply length including this header; the kernel rejects a mismatch.</summary>
    public uint Len;

    /// <summary>0 or a negated errno in (-1000, 0).</summary>
    public int Error;
    public ulong Unique;
}
