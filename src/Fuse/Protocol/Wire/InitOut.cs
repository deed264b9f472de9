using System.Runtime.InteropServices;

namespace EsxiImport.Fuse.Protocol.Wire;

/// <summary>
/// <c>struct fuse_init_out</c> as of 7.38 (64 bytes). Older minors read only a prefix of it
/// (<see cref="ProtocolVersion.InitOutSize"/>).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct InitOut : IWireStruct
{
    public static int WireSize => 64;

    public uint Major;
    public uint Minor;
    public uint MaxReadahead;
    public uint Flags;
    public ushort MaxBackground;
    public ushort CongestionThreshold;
    public uint MaxWrite;
    public uint TimeGran;
    public ushort MaxPages;
    public ushort MapAlignment;
    public uint Flags2;
    public fixed uint Unused[7];
}
