using EsxiImport.Fuse.Protocol.Requests;

namespace EsxiImport.Fuse.Protocol;

/// <summary>Why a frame could not be parsed.</summary>
public enum ParseErrorKind
{
    /// <summary>Fewer bytes than a <c>fuse_in_header</c>; there is no unique to answer.</summary>
    FrameTooShort,

    /// <summary>The header's len differs from the bytes read.</summary>
    LengthMismatch,

    /// <summary>The body is shorter than the opcode's struct (or its count of forget items).</summary>
    BodyTooShort,

    /// <summary>A name has no terminating NUL within the body.</summary>
    NameNotTerminated,

    /// <summary>The header announces more extension bytes than the frame holds.</summary>
    ExtensionsTooLong,
}

/// <summary>
/// A frame the parser rejected, as a value: the read loop answers it (EIO when the header and
/// so the unique are known) and goes on. Every parse message is written here, in one place.
/// </summary>
/// <param name="Kind">What was wrong.</param>
/// <param name="Header">The header when at least that much was readable.</param>
/// <param name="Actual">The byte count found.</param>
/// <param name="Expected">The byte count required.</param>
public sealed record ParseError(ParseErrorKind Kind, RequestHeader? Header, int Actual, int Expected)
{
    public override string ToString()
    {
        var what = Header is { } h ? $"{OpcodeTable.NameOf(h.Opcode)} unique={h.Unique}: " : string.Empty;
        return what + Kind switch
        {
            ParseErrorKind.FrameTooShort => $"frame of {Actual} bytes is shorter than the {Expected}-byte header",
            ParseErrorKind.LengthMismatch => $"header says {Expected} bytes but {Actual} were read",
            ParseErrorKind.BodyTooShort => $"body of {Actual} bytes is shorter than the required {Expected}",
            ParseErrorKind.NameNotTerminated => $"name in a {Actual}-byte body has no terminating NUL",
            ParseErrorKind.ExtensionsTooLong => $"{Expected} extension bytes do not fit a {Actual}-byte body",
            _ => Kind.ToString(),
        };
    }
}

/// <summary>The result of parsing one frame: exactly one of <see cref="Request"/> and <see cref="Error"/> is set.</summary>
public readonly record struct ParseResult(FuseRequest? Request, ParseError? Error)
{
    public static implicit operator ParseResult(FuseRequest request) => new(request, null);

    public static implicit operator ParseResult(ParseError error) => new(null, error);
}
