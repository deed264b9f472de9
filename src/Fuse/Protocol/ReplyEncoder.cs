using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

using EsxiImport.Fuse.Protocol.Wire;

namespace EsxiImport.Fuse.Protocol;

/// <summary>Encodes a <see cref="FuseReply"/> into the frame the kernel expects for it; each reply type says which frame that is.</summary>
public static class ReplyEncoder
{
    /// <summary>The frame answering request <paramref name="unique"/>.</summary>
    public static ReplyFrame Encode(ulong unique, FuseReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return reply.Encode(unique);
    }

    /// <summary>A success header followed by the whole of <paramref name="value"/>.</summary>
    internal static ReplyFrame Fixed<T>(ulong unique, T value)
        where T : unmanaged, IWireStruct => Fixed(unique, value, T.WireSize);

    /// <summary>A success header followed by the first <paramref name="size"/> bytes of <paramref name="value"/>.</summary>
    internal static ReplyFrame Fixed<T>(ulong unique, T value, int size)
        where T : unmanaged
    {
        var frame = Header(unique, 0, size, ReadOnlySequence<byte>.Empty);
        Span<byte> full = stackalloc byte[Unsafe.SizeOf<T>()];
        MemoryMarshal.Write(full, in value);
        full[..size].CopyTo(frame.Head.AsSpan(OutHeader.WireSize));
        return frame;
    }

    internal static ReplyFrame Header(ulong unique, int error, int fixedSize, ReadOnlySequence<byte> body)
    {
        var head = new byte[OutHeader.WireSize + fixedSize];
        var header = new OutHeader { Len = (uint)(head.Length + body.Length), Error = error, Unique = unique };
        MemoryMarshal.Write(head, in header);
        return new ReplyFrame(unique, head, body);
    }
}
