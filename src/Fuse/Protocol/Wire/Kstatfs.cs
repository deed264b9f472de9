using System.Runtime.InteropServices;

namespace EsxiImport.Fuse.Protocol.Wire;

/// <summary><c>struct fuse_kstatfs</c> (80 bytes), the whole STATFS reply.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct Kstatfs : IWireStruct
{
    public static int WireSize => 80;

    public ulong Blocks;
    public ulong Bfree;
    public ulong Bavail;
    public ulong Files;
    public ulong Ffree;
    public uint Bsize;
    public uint Namelen;
    public uint Frsize;
    public uint Padding;
    public fixed uint Spare[6];
}
