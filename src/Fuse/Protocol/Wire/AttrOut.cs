using System.Runtime.InteropServices;

namespace EsxiImport.Fuse.Protocol.Wire;

/// <summary><c>struct fuse_attr_out</c> (104 bytes): the GETATTR reply.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct AttrOut : IWireStruct
{
    public static int WireSize => 104;

    public ulong AttrValid;
    public uint AttrValidNsec;
    public uint Dummy;
    public FuseAttr Attr;
}
