using EsxiImport.Fuse.Protocol.Wire;

namespace EsxiImport.Fuse.Protocol.Requests;

/// <summary>The header fields every request carries, copied out of the device buffer.</summary>
/// <param name="Length">Total frame length the kernel declared.</param>
/// <param name="Opcode">The raw opcode (may be one this layer has no name for).</param>
/// <param name="Unique">The request id the reply must carry.</param>
/// <param name="NodeId">The inode the request is about (1 is the root).</param>
/// <param name="Uid">The calling process's fs uid.</param>
/// <param name="Gid">The calling process's fs gid.</param>
/// <param name="Pid">The calling process (thread group) id; 0 for kernel-internal requests.</param>
public readonly record struct RequestHeader(uint Length, uint Opcode, ulong Unique, ulong NodeId, uint Uid, uint Gid, uint Pid)
{
    /// <summary>The opcode as a named value (undefined values print as numbers).</summary>
    public Opcode Op => (Opcode)Opcode;
}

/// <summary>
/// A parsed request: everything a handler needs, copied out of the device buffer so the reader
/// can reuse the buffer at once. One sealed record per opcode family.
/// </summary>
public abstract record FuseRequest(RequestHeader Header)
{
    public ulong Unique => Header.Unique;

    public ulong NodeId => Header.NodeId;

    /// <summary>What a trace line shows of the request between its node and its caller, with a leading space; empty when nothing.</summary>
    public virtual string Describe() => string.Empty;
}
