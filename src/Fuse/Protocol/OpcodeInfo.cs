using EsxiImport.Fuse.Protocol.Requests;
using EsxiImport.Fuse.Protocol.Wire;

namespace EsxiImport.Fuse.Protocol;

/// <summary>How the parser reads an opcode's body.</summary>
public enum BodyKind
{
    /// <summary>No body.</summary>
    None,

    /// <summary>One fixed-size struct of <see cref="OpcodeInfo.BodySize"/> bytes.</summary>
    Struct,

    /// <summary>A NUL-terminated name.</summary>
    Name,

    /// <summary><c>fuse_batch_forget_in</c> followed by count <c>fuse_forget_one</c>.</summary>
    BatchForget,

    /// <summary><c>fuse_init_in</c>: 16 bytes before 7.36, 64 from then on.</summary>
    Init,

    /// <summary>Not read: the request is refused (EROFS) or unsupported (ENOSYS) whatever it says.</summary>
    Ignored,
}

/// <summary>What an opcode is answered with; each <see cref="FuseReply"/> type says which kind it is.</summary>
public enum ReplyKind
{
    /// <summary>Never answered (FORGET, BATCH_FORGET, INTERRUPT, NOTIFY_REPLY).</summary>
    None,

    /// <summary>A bare header with error 0 (RELEASE, DESTROY).</summary>
    Empty,
    Entry,
    Attr,
    Open,

    /// <summary>Raw file bytes.</summary>
    Data,

    /// <summary>Packed dirent or direntplus records.</summary>
    Directory,
    Statfs,
    Init,

    /// <summary>Always an error: EROFS for modifying opcodes.</summary>
    ReadOnlyError,

    /// <summary>Always an error: ENOSYS, not implemented.</summary>
    NotImplemented,
}

/// <summary>Reads the body of one opcode (extensions already cut off, at least the row's size long).</summary>
public delegate ParseResult BodyParser(RequestHeader header, ReadOnlySpan<byte> body);

/// <summary>Hands a parsed request to the file system's method for its opcode.</summary>
public delegate ValueTask<FuseReply> OpcodeHandler(IOpcodeHandlers handlers, FuseRequest request, CancellationToken cancellationToken);

/// <summary>
/// One row of the opcode table: everything the layer knows about an opcode. How its request is
/// traced is the request type's (<see cref="FuseRequest.Describe"/>); how its reply is encoded
/// and traced is the reply type's, which <see cref="Reply"/> names.
/// </summary>
/// <param name="Opcode">The opcode.</param>
/// <param name="Name">The kernel's name without the <c>FUSE_</c> prefix, as traces print it.</param>
/// <param name="Body">How the body is read.</param>
/// <param name="BodySize">The minimum body size in bytes (the struct size for <see cref="BodyKind.Struct"/>).</param>
/// <param name="Reply">What the answer is.</param>
/// <param name="Parse">Reads the body into the typed request.</param>
public sealed record OpcodeInfo(Opcode Opcode, string Name, BodyKind Body, int BodySize, ReplyKind Reply, BodyParser Parse)
{
    public bool HasReply => Reply != ReplyKind.None;

    /// <summary>Whether the file system answers it (through <see cref="Handle"/>) rather than the server itself.</summary>
    public bool AnsweredByFileSystem => Reply is ReplyKind.Empty or ReplyKind.Entry or ReplyKind.Attr or ReplyKind.Open
        or ReplyKind.Data or ReplyKind.Directory or ReplyKind.Statfs;

    /// <summary>The size the runtime lays the body struct out in, for the table's self-check; null when the body is no single struct.</summary>
    public int? StructSize { get; init; }

    /// <summary>The file system's method for this opcode; null for opcodes the server answers itself.</summary>
    public OpcodeHandler? Handle { get; init; }

    /// <summary>This row with <paramref name="handler"/> as its file-system method.</summary>
    public OpcodeInfo HandledBy<TRequest>(Func<IOpcodeHandlers, TRequest, CancellationToken, ValueTask<FuseReply>> handler)
        where TRequest : FuseRequest =>
        this with { Handle = (handlers, request, cancellationToken) => handler(handlers, (TRequest)request, cancellationToken) };
}
