using System.Runtime.InteropServices;

namespace EsxiImport.Fuse.Protocol.Wire;

/// <summary><c>struct fuse_open_out</c> (16 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct OpenOut : IWireStruct
{
    public static int WireSize => 16;

    public ulong Fh;

    /// <summary><see cref="OpenReplyFlags"/> bits.</summary>
    public uint OpenFlags;

    /// <summary>7.40 calls this backing_id; a nonzero value there would ask for passthrough, so it stays 0.</summary>
    public uint Padding;
}
