namespace EsxiImport.EsxiFuse.Esxi;

/// <summary>
/// Where the bytes of one range go: one buffer, or several filled in order as if they were one
/// (the pages of a run the cache fetches with one request), so a body is read straight into its
/// final place and never copied.
/// </summary>
public readonly struct ScatterTarget
{
    private readonly IReadOnlyList<Memory<byte>> _parts;

    public ScatterTarget(IReadOnlyList<Memory<byte>> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        _parts = parts;
        long length = 0;
        foreach (var part in parts)
        {
            length += part.Length;
        }

        Length = length <= int.MaxValue ? (int)length : throw new ArgumentOutOfRangeException(nameof(parts), length, "a range read is limited to 2 GiB");
    }

    /// <summary>The bytes all parts hold together.</summary>
    public int Length { get; }

    /// <summary>
    /// Reads from <paramref name="stream"/> into the parts, in order, until <paramref name="count"/>
    /// bytes are in or the stream ends; returns how many bytes came. Every chunk that arrives is
    /// counted on <paramref name="watch"/>, so a slow body is seen while it trickles.
    /// </summary>
    internal async ValueTask<int> FillAsync(Stream stream, int count, TransferWatch watch)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Length);
        var done = 0;
        foreach (var part in _parts)
        {
            var want = Math.Min(part.Length, count - done);
            for (var filled = 0; filled < want;)
            {
                var got = await stream.ReadAsync(part[filled..want], watch.Token).ConfigureAwait(false);
                if (got == 0)
                {
                    return done;
                }

                watch.Received(got);
                filled += got;
                done += got;
            }

            if (done >= count)
            {
                break;
            }
        }

        return done;
    }
}
