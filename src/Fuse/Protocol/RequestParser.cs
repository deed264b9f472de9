using System.Runtime.InteropServices;

using EsxiImport.Fuse.Protocol.Requests;
using EsxiImport.Fuse.Protocol.Wire;

namespace EsxiImport.Fuse.Protocol;

/// <summary>
/// Turns one frame read from /dev/fuse into a typed request: the header here, the body by the
/// opcode's row of <see cref="OpcodeTable"/> (the longer body readers are below). Bad input is
/// returned as a <see cref="ParseError"/>, never thrown: the kernel is trusted, but a parser that
/// can kill the read loop would turn one odd frame into a hung mount. Integers are little-endian
/// host order, as the kernel writes them.
/// </summary>
public static class RequestParser
{
    private const int FuseGetattrFh = 1;

    public static ParseResult Parse(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < InHeader.WireSize)
        {
            return new ParseError(ParseErrorKind.FrameTooShort, null, frame.Length, InHeader.WireSize);
        }

        var raw = MemoryMarshal.Read<InHeader>(frame);
        var header = new RequestHeader(raw.Len, raw.Opcode, raw.Unique, raw.NodeId, raw.Uid, raw.Gid, raw.Pid);
        if (raw.Len != frame.Length)
        {
            return new ParseError(ParseErrorKind.LengthMismatch, header, frame.Length, (int)Math.Min(raw.Len, int.MaxValue));
        }

        var body = frame[InHeader.WireSize..];
        var extensions = raw.TotalExtlen * 8;
        if (extensions > body.Length)
        {
            return new ParseError(ParseErrorKind.ExtensionsTooLong, header, body.Length, extensions);
        }

        body = body[..^extensions];
        var info = OpcodeTable.Find(raw.Opcode);
        if (info is null)
        {
            return new UnsupportedRequest(header);
        }

        if (body.Length < info.BodySize)
        {
            return new ParseError(ParseErrorKind.BodyTooShort, header, body.Length, info.BodySize);
        }

        return info.Parse(header, body);
    }

    internal static ParseResult ParseLookup(RequestHeader header, ReadOnlySpan<byte> body)
    {
        var nul = body.IndexOf((byte)0);
        return nul < 0
            ? new ParseError(ParseErrorKind.NameNotTerminated, header, body.Length, body.Length + 1)
            : new LookupRequest(header, body[..nul].ToArray());
    }

    internal static ParseResult ParseBatchForget(RequestHeader header, ReadOnlySpan<byte> body)
    {
        var count = MemoryMarshal.Read<BatchForgetIn>(body).Count;
        var needed = BatchForgetIn.WireSize + ((long)count * ForgetOne.WireSize);
        if (body.Length < needed)
        {
            return new ParseError(ParseErrorKind.BodyTooShort, header, body.Length, (int)Math.Min(needed, int.MaxValue));
        }

        var items = MemoryMarshal.Cast<byte, ForgetOne>(body.Slice(BatchForgetIn.WireSize, (int)count * ForgetOne.WireSize)).ToArray();
        return new ForgetRequest(header, items);
    }

    internal static GetattrRequest ParseGetattr(RequestHeader header, GetattrIn body) =>
        new(header, (body.GetattrFlags & FuseGetattrFh) != 0 ? body.Fh : null);

    internal static ParseResult ParseInit(RequestHeader header, ReadOnlySpan<byte> body)
    {
        // Kernels before 7.36 send only major, minor, max_readahead and flags.
        Span<byte> full = stackalloc byte[InitIn.WireSize];
        full.Clear();
        body[..Math.Min(body.Length, InitIn.WireSize)].CopyTo(full);
        var init = MemoryMarshal.Read<InitIn>(full);
        var flags = (InitFlags)init.Flags;
        if (flags.HasFlag(InitFlags.InitExt))
        {
            flags |= (InitFlags)((ulong)init.Flags2 << 32);
        }

        return new InitRequest(header, init.Major, init.Minor, init.MaxReadahead, flags);
    }
}
