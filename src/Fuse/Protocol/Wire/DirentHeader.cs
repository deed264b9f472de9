using System.Runtime.InteropServices;

namespace EsxiImport.Fuse.Protocol.Wire;

/// <summary>
/// The fixed part of <c>struct fuse_dirent</c> (24 bytes); the name follows without a NUL and the
/// record is padded to a multiple of 8 (<c>FUSE_DIRENT_ALIGN</c>).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct DirentHeader : IWireStruct
{
    public static int WireSize => 24;

    public ulong Ino;

    /// <summary>The cookie of the next entry; the kernel sends it back as the READDIR offset.</summary>
    public ulong Off;
    public uint Namelen;

    /// <summary>DT_* (mode &gt;&gt; 12): 4 directory, 8 regular file, 10 symlink.</summary>
    public uint Type;
}
