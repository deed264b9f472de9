using System.Runtime.InteropServices;

namespace EsxiImport.Fuse.Protocol.Wire;

/// <summary><c>struct fuse_getattr_in</c> (16 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct GetattrIn : IWireStruct
{
    public static int WireSize => 16;

    /// <summary>Bit 0 (FUSE_GETATTR_FH) says <see cref="Fh"/> is valid.</summary>
    public uint GetattrFlags;
    public uint Dummy;
    public ulong Fh;
}
