using System.Runtime.InteropServices;

namespace EsxiImport.Fuse.Protocol.Wire;

/// <summary><c>struct fuse_interrupt_in</c> (8 bytes): the unique of the request to interrupt.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct InterruptIn : IWireStruct
{
    public static int WireSize => 8;

    public ulong Unique;
}
