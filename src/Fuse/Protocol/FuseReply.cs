using System.Buffers;

using EsxiImport.Fuse.Protocol.Requests;
using EsxiImport.Fuse.Protocol.Wire;

namespace EsxiImport.Fuse.Protocol;

/// <summary>
/// A typed reply, before encoding. Handlers return one of these; each type knows its frame and
/// its trace, and which <see cref="ReplyKind"/> of <see cref="OpcodeTable"/> it is, so a new
/// opcode that answers with an existing kind needs no reply code at all.
/// </summary>
public abstract record FuseReply
{
    /// <summary>The bare success header (RELEASE, RELEASEDIR, DESTROY).</summary>
    public static readonly FuseReply Empty = new EmptyReply();

    public static FuseReply Error(int errno) => new ErrorReply(errno);

    /// <summary>Whether this is a possible answer to <paramref name="request"/>, whose row answers with <paramref name="kind"/>.</summary>
    internal abstract bool Answers(FuseRequest request, ReplyKind kind);

    /// <summary>The frame answering request <paramref name="unique"/>.</summary>
    internal abstract ReplyFrame Encode(ulong unique);

    /// <summary>The trace text after the unique.</summary>
    internal abstract string Describe();
}

/// <summary>
/// An error reply; <see cref="Errno"/> is positive (it is negated on the wire). It answers any
/// request. An errno outside 1..999 (which the kernel would reject with EINVAL, leaving the
/// caller hanging) is sent as EIO.
/// </summary>
public sealed record ErrorReply(int Errno) : FuseReply
{
    internal override bool Answers(FuseRequest request, ReplyKind kind) => true;

    internal override ReplyFrame Encode(ulong unique) =>
        ReplyEncoder.Header(unique, Errno is > 0 and < 1000 ? -Errno : -Protocol.Errno.EIO, 0, ReadOnlySequence<byte>.Empty);

    internal override string Describe() => "error " + Protocol.Errno.Name(Errno);
}

/// <summary>A success header with no payload.</summary>
public sealed record EmptyReply : FuseReply
{
    internal override bool Answers(FuseRequest request, ReplyKind kind) => kind == ReplyKind.Empty;

    internal override ReplyFrame Encode(ulong unique) => ReplyEncoder.Header(unique, 0, 0, ReadOnlySequence<byte>.Empty);

    internal override string Describe() => "ok";
}

public sealed record EntryReply(EntryOut Entry) : FuseReply
{
    internal override bool Answers(FuseRequest request, ReplyKind kind) => kind == ReplyKind.Entry;

    internal override ReplyFrame Encode(ulong unique) => ReplyEncoder.Fixed(unique, Entry);

    internal override string Describe() =>
        TraceText.Of($"entry node={Entry.NodeId} gen={Entry.Generation} valid={Entry.EntryValid}s {WireTrace.Attr(Entry.Attr)}");
}

public sealed record AttrReply(AttrOut Attr) : FuseReply
{
    internal override bool Answers(FuseRequest request, ReplyKind kind) => kind == ReplyKind.Attr;

    internal override ReplyFrame Encode(ulong unique) => ReplyEncoder.Fixed(unique, Attr);

    internal override string Describe() => TraceText.Of($"attr valid={Attr.AttrValid}s {WireTrace.Attr(Attr.Attr)}");
}

public sealed record OpenReply(OpenOut Open) : FuseReply
{
    internal override bool Answers(FuseRequest request, ReplyKind kind) => kind == ReplyKind.Open;

    internal override ReplyFrame Encode(ulong unique) => ReplyEncoder.Fixed(unique, Open);

    internal override string Describe() => TraceText.Of($"open fh={Open.Fh} flags={(OpenReplyFlags)Open.OpenFlags}");
}

public sealed record StatfsReply(Kstatfs Statfs) : FuseReply
{
    internal override bool Answers(FuseRequest request, ReplyKind kind) => kind == ReplyKind.Statfs;

    internal override ReplyFrame Encode(ulong unique) => ReplyEncoder.Fixed(unique, Statfs);

    internal override string Describe() =>
        TraceText.Of($"statfs blocks={Statfs.Blocks} bsize={Statfs.Bsize} files={Statfs.Files} namelen={Statfs.Namelen}");
}

/// <summary>The INIT answer; <see cref="Minor"/> decides how many bytes of it the kernel gets.</summary>
public sealed record InitReply(InitOut Init, uint Minor) : FuseReply
{
    internal override bool Answers(FuseRequest request, ReplyKind kind) => kind == ReplyKind.Init;

    internal override ReplyFrame Encode(ulong unique) => ReplyEncoder.Fixed(unique, Init, ProtocolVersion.InitOutSize(Minor));

    internal override string Describe() =>
        TraceText.Of($"init {Init.Major}.{Init.Minor} flags=0x{Init.Flags:x} flags2=0x{Init.Flags2:x} max_readahead={Init.MaxReadahead} max_background={Init.MaxBackground} max_pages={Init.MaxPages} max_write={Init.MaxWrite}");
}

/// <summary>
/// File bytes, in one piece or in several (pages of a cache, gathered by the one writev of the
/// reply, so they are never copied into a reply buffer). <see cref="Owner"/>, when set, is
/// disposed once the reply has been written (or dropped): that is how a pooled buffer goes back
/// to its pool and how lent cache pages are unpinned. It answers a READ of at least its length.
/// </summary>
public sealed record DataReply(ReadOnlySequence<byte> Data, IDisposable? Owner = null) : FuseReply
{
    /// <summary>File bytes in one buffer.</summary>
    public DataReply(ReadOnlyMemory<byte> data, IDisposable? owner = null)
        : this(new ReadOnlySequence<byte>(data), owner)
    {
    }

    internal override bool Answers(FuseRequest request, ReplyKind kind) =>
        kind == ReplyKind.Data && request is ReadRequest read && Data.Length <= read.Size;

    internal override ReplyFrame Encode(ulong unique) => ReplyEncoder.Header(unique, 0, 0, Data);

    internal override string Describe() => TraceText.Of($"data {Data.Length} bytes");
}

/// <summary>
/// Packed records from a <see cref="DirentWriter"/>; empty means end of directory. It answers a
/// READDIR (or, with <see cref="Plus"/>, a READDIRPLUS) of at least its length.
/// </summary>
public sealed record DirectoryReply(ReadOnlyMemory<byte> Records, bool Plus, int Count) : FuseReply
{
    internal override bool Answers(FuseRequest request, ReplyKind kind) =>
        kind == ReplyKind.Directory && request is ReaddirRequest readdir && Records.Length <= readdir.Size && Plus == readdir.Plus;

    internal override ReplyFrame Encode(ulong unique) => ReplyEncoder.Header(unique, 0, 0, new ReadOnlySequence<byte>(Records));

    internal override string Describe() => TraceText.Of($"{(Plus ? "direntplus" : "dirent")} {Count} entries {WireTrace.Names(this)}");
}
