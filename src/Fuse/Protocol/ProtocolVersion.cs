namespace EsxiImport.Fuse.Protocol;

/// <summary>
/// The protocol version this layer implements and the reply sizes that depend on the
/// negotiated minor. The structs follow <c>linux/fuse.h</c> 7.38; a kernel offering more is
/// answered with 7.38, a kernel offering less gets its own minor and the shorter INIT reply.
/// </summary>
public static class ProtocolVersion
{
    public const uint Major = 7;

    /// <summary>The highest minor whose structs are implemented here.</summary>
    public const uint MaxMinor = 38;

    /// <summary>The oldest minor accepted: 7.12 brought the 88-byte attr and 128-byte entry layouts used throughout.</summary>
    public const uint MinMinor = 12;

    /// <summary><c>fuse_init_in</c> before 7.36 (no flags2, no unused tail).</summary>
    public const int InitInCompatSize = 16;

    /// <summary>The size of <c>fuse_init_out</c> a kernel of this minor expects (<c>FUSE_COMPAT_*INIT_OUT_SIZE</c>).</summary>
    public static int InitOutSize(uint minor) => minor < 5 ? 8 : minor < 23 ? 24 : 64;
}
