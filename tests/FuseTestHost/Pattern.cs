namespace EsxiImport.FuseTestHost;

/// <summary>
/// The generated content: byte i of a file is (i*31 + seed) mod 251. 251 is prime and does not
/// divide any power of two, so a read at a wrong offset or a misplaced block never matches.
/// </summary>
public static class Pattern
{
    public static byte At(long index, int seed) => (byte)((((index % 251) * 31) + seed) % 251);

    // One period (251 bytes) followed by enough repetitions to copy 64 KiB from any phase, so a
    // fill is a series of memory copies (the benchmark must measure the layer, not this loop).
    private const int Chunk = 64 * 1024;
    private static readonly Lazy<byte[]>[] Tables = Enumerable.Range(0, 251).Select(seed => new Lazy<byte[]>(() => BuildTable(seed))).ToArray();

    public static void Fill(Span<byte> destination, long offset, int seed)
    {
        var table = Tables[((seed % 251) + 251) % 251].Value;
        var done = 0;
        while (done < destination.Length)
        {
            var phase = (int)((offset + done) % 251);
            var n = Math.Min(Chunk, destination.Length - done);
            table.AsSpan(phase, n).CopyTo(destination[done..]);
            done += n;
        }
    }

    private static byte[] BuildTable(int seed)
    {
        var table = new byte[251 + Chunk];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = At(i, seed);
        }

        return table;
    }

    public static byte[] Bytes(long offset, int length, int seed)
    {
        var bytes = new byte[length];
        Fill(bytes, offset, seed);
        return bytes;
    }
}
