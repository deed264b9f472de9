namespace EsxiImport.FuseTestHost;

/// <summary>
/// The generated content: byte i of a file is (i*31 + seed) mod 251. 251 is prime and does not
/// divide any power of two, so a read at a wrong offset or a misplaced block never matches.
/// </summary>
public static class Pattern
{
    public static byte At(long index, int seed) => (byte)((((index % 251) * 31) + seed) % 251);

    public static void Fill(Span<byte> destination, long offset, int seed)
    {
        var value = (int)((((offset % 251) * 31) + seed) % 251);
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = (byte)value;
            value += 31;
            if (value >= 251)
            {
                value -= 251;
            }
        }
    }

    public static byte[] Bytes(long offset, int length, int seed)
    {
        var bytes = new byte[length];
        Fill(bytes, offset, seed);
        return bytes;
    }
}
