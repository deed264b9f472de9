using System.Buffers;

using EsxiImport.Fuse.Protocol.Wire;

namespace EsxiImport.Fuse.Protocol;

/// <summary>
/// A typed reply, before encoding. Handlers return one of these; <see cref="ReplyEncoder"/> turns
/// it into the bytes of one write. Which kinds fit which opcode is in <see cref="OpcodeTable"/>.
/// </summary>
public abstract record FuseReply
{
    /// <summary>The bare success header (RELEASE, RELEASEDIR, DESTROY).</summary>
    public static readonly FuseReply Empty = new EmptyReply();

    public static FuseReply Error(int errno) => new ErrorReply(errno);
}

/// <summary>An error reply; <see cref="Errno"/> is positive (it is negated on the wire).</summary>
public sealed record ErrorReply(int Errno) : FuseReply;

/// <summary>A success header with no payload.</summary>
public sealed record EmptyReply : FuseReply;

public sealed record EntryReply(EntryOut Entry) : FuseReply;

public sealed record AttrReply(AttrOut Attr) : FuseReply;

public sealed record OpenReply(OpenOut Open) : FuseReply;

public sealed record StatfsReply(Kstatfs Statfs) : FuseReply;

/// <summary>The INIT answer; <see cref="Minor"/> decides how many bytes of it the kernel gets.</summary>
public sealed record InitReply(InitOut Init, uint Minor) : FuseReply;

/// <summary>
/// File bytes, in one piece or in several (pages of a cache, gathered by the one writev of the
/// reply, so they are never copied into a reply buffer). <see cref="Owner"/>, when set, is
/// disposed once the reply has been written (or dropped): that is how a pooled buffer goes back
/// to its pool and how lent cache pages are unpinned.
/// </summary>
public sealed record DataReply(ReadOnlySequence<byte> Data, IDisposable? Owner = null) : FuseReply
{
    /// <summary>File bytes in one buffer.</summary>
    public DataReply(ReadOnlyMemory<byte> data, IDisposable? owner = null)
        : this(new ReadOnlySequence<byte>(data), owner)
    {
    }
}

/// <summary>Packed records from a <see cref="DirentWriter"/>; empty means end of directory.</summary>
public sealed record DirectoryReply(ReadOnlyMemory<byte> Records, bool Plus, int Count) : FuseReply;
