using System.Runtime.InteropServices;

namespace EsxiImport.Fuse.Protocol.Wire;

/// <summary><c>struct fuse_open_in</c> (8 bytes), the body of OPEN and OPENDIR.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct OpenIn : IWireStruct
{
    public static int WireSize => 8;

    /// <summary>The open(2) flags (O_RDONLY, O_WRONLY, ...).</summary>
    public uint Flags;
    public uint OpenFlags;
}
