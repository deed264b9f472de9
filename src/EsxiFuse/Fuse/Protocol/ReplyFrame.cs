namespace EsxiImport.EsxiFuse.Fuse.Protocol;

/// <summary>
/// The bytes of one reply, sent with one writev: <see cref="Head"/> (the out header and any
/// fixed-size payload) then <see cref="Body"/> (file data or directory records, not copied).
/// </summary>
public readonly record struct ReplyFrame(ulong Unique, byte[] Head, ReadOnlyMemory<byte> Body)
{
    public int Length => Head.Length + Body.Length;

    /// <summary>The whole frame as one array (tests and traces; the device writes the two parts).</summary>
    public byte[] ToArray()
    {
        var all = new byte[Length];
        Head.CopyTo(all, 0);
        Body.Span.CopyTo(all.AsSpan(Head.Length));
        return all;
    }
}
