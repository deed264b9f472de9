using System.Runtime.InteropServices;

namespace EsxiImport.Fuse.Protocol.Wire;

/// <summary><c>struct fuse_release_in</c> (24 bytes), the body of RELEASE and RELEASEDIR.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct ReleaseIn : IWireStruct
{
    public static int WireSize => 24;

    public ulong Fh;
    public uint Flags;
    public uint ReleaseFlags;
    public ulong LockOwner;
}
