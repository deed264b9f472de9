using System.Runtime.InteropServices;

namespace EsxiImport.Fuse.Protocol.Wire;

/// <summary><c>struct fuse_forget_in</c> (8 bytes): how many lookups of the header's node to drop.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct ForgetIn : IWireStruct
{
    public static int WireSize => 8;

    public ulong Nlookup;
}

/// <summary><c>struct fuse_batch_forget_in</c> (8 bytes), followed by <see cref="Count"/> <see cref="ForgetOne"/>.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct BatchForgetIn : IWireStruct
{
    public static int WireSize => 8;

    public uint Count;
    public uint Dummy;
}

/// <summary><c>struct fuse_forget_one</c> (16 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct ForgetOne : IWireStruct
{
    public static int WireSize => 16;

    public ulong NodeId;
    public ulong Nlookup;
}
