using System.Buffers;
using System.Runtime.InteropServices;

using EsxiImport.Fuse.Protocol.Wire;

namespace EsxiImport.Fuse.Protocol;

/// <summary>Encodes a <see cref="FuseReply"/> into the frame the kernel expects for it.</summary>
public static class ReplyEncoder
{
    /// <summary>
    /// The frame answering request <paramref name="unique"/>. An errno outside 1..999 (which the
    /// kernel would reject with EINVAL, leaving the caller hanging) is sent as EIO.
    /// </summary>
    public static ReplyFrame Encode(ulong unique, FuseReply reply) => reply switch
    {
        ErrorReply e => Header(unique, e.Errno is > 0 and < 1000 ? -e.Errno : -Errno.EIO, 0, ReadOnlySequence<byte>.Empty),
        EmptyReply => Header(unique, 0, 0, ReadOnlySequence<byte>.Empty),
        EntryReply e => Fixed(unique, e.Entry, EntryOut.WireSize),
        AttrReply a => Fixed(unique, a.Attr, AttrOut.WireSize),
        OpenReply o => Fixed(unique, o.Open, OpenOut.WireSize),
        StatfsReply s => Fixed(unique, s.Statfs, Kstatfs.WireSize),
        InitReply i => Fixed(unique, i.Init, ProtocolVersion.InitOutSize(i.Minor)),
        DataReply d => Header(unique, 0, 0, d.Data),
        DirectoryReply d => Header(unique, 0, 0, new ReadOnlySequence<byte>(d.Records)),
        _ => throw new ArgumentOutOfRangeException(nameof(reply), reply.GetType().Name, "unknown reply type"),
    };

    private static ReplyFrame Fixed<T>(ulong unique, T value, int size)
        where T : struct
    {
        var frame = Header(unique, 0, size, ReadOnlySequence<byte>.Empty);
        Span<byte> full = stackalloc byte[System.Runtime.CompilerServices.Unsafe.SizeOf<T>()];
        MemoryMarshal.Write(full, in value);
        full[..size].CopyTo(frame.Head.AsSpan(OutHeader.WireSize));
        return frame;
    }

    private static ReplyFrame Header(ulong unique, int error, int fixedSize, ReadOnlySequence<byte> body)
    {
        var head = new byte[OutHeader.WireSize + fixedSize];
        var header = new OutHeader { Len = (uint)(head.Length + body.Length), Error = error, Unique = unique };
        MemoryMarshal.Write(head, in header);
        return new ReplyFrame(unique, head, body);
    }
}
