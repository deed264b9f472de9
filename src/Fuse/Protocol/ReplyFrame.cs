using System.Buffers;

namespace EsxiImport.Fuse.Protocol;

/// <summary>
/// The bytes of one reply, sent with one writev: <see cref="Head"/> (the out header and any
/// fixed-size payload) then <see cref="Body"/> (file data or directory records, not copied; file
/// data may come in several segments).
/// </summary>
public readonly record struct ReplyFrame(ulong Unique, byte[] Head, ReadOnlySequence<byte> Body)
{
    public int Length => Head.Length + (int)Body.Length;

    /// <summary>The whole frame as one array (tests and traces; the device writes the parts).</summary>
    public byte[] ToArray()
    {
        var all = new byte[Length];
        Head.CopyTo(all, 0);
        Body.CopyTo(all.AsSpan(Head.Length));
        return all;
    }
}
