using System.Runtime.InteropServices;

namespace EsxiImport.Fuse.Protocol.Wire;

/// <summary>
/// <c>struct fuse_init_in</c>: 64 bytes from 7.36, 16 bytes before (major, minor, max_readahead,
/// flags only). The parser fills the missing tail with zeros.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct InitIn : IWireStruct
{
    public static int WireSize => 64;

    public uint Major;
    public uint Minor;
    public uint MaxReadahead;
    public uint Flags;
    public uint Flags2;
    public fixed uint Unused[11];
}
