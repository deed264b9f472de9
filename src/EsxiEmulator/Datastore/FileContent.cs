namespace EsxiImport.Emulator.Datastore;

/// <summary>
/// The bytes of one served file as a function of the offset: any range can be produced without
/// reading what comes before it and without holding the file in memory.
/// </summary>
public abstract class FileContent
{
    /// <summary>The file size in bytes.</summary>
    public abstract long Length { get; }

    /// <summary>Fills <paramref name="destination"/> with the bytes at <paramref name="offset"/>; the caller keeps the range inside the file.</summary>
    public abstract void Read(long offset, Span<byte> destination);

    /// <summary>Reads a whole (small) file; for tests and for the text files of a VM.</summary>
    public byte[] ReadAll()
    {
        var bytes = new byte[checked((int)Length)];
        Read(0, bytes);
        return bytes;
    }
}

/// <summary>All zero bytes.</summary>
public sealed class ZeroContent(long length) : FileContent
{
    public override long Length => length;

    public override void Read(long offset, Span<byte> destination) => destination.Clear();
}

/// <summary>
/// Fixed bytes (generated text files, hand-written .vmx content, inline text), followed by zeros
/// up to <c>length</c> when a larger size is asked for (a disk whose first bytes are text).
/// </summary>
public sealed class BytesContent(byte[] bytes, long? length = null) : FileContent
{
    public override long Length { get; } = length ?? bytes.Length;

    public override void Read(long offset, Span<byte> destination)
    {
        destination.Clear();
        if (offset < bytes.Length)
        {
            var n = (int)Math.Min(bytes.Length - offset, destination.Length);
            bytes.AsSpan((int)offset, n).CopyTo(destination);
        }
    }
}

/// <summary>
/// Seeded pseudo-random bytes. Word <c>i</c> (bytes <c>8i..8i+7</c>, little endian) is
/// <c>T[i mod 2^17] XOR K(i / 2^17)</c>: <c>T</c> is a 1 MiB table of SplitMix64 outputs for the
/// seed and <c>K</c> a SplitMix64 key per 1 MiB block. Every word follows from its index alone,
/// so a range costs only its own length, and generation is an XOR stream (several GiB/s) instead
/// of a hash per word, which keeps the emulator from being the bottleneck of a benchmark.
/// Blocks differ from each other, so a reader that lands on the wrong block gets different bytes.
/// </summary>
public sealed class PatternContent(long length, ulong seed) : FileContent
{
    private const ulong Gamma = 0x9E3779B97F4A7C15UL;
    private const int TableBits = 17;
    private const int TableWords = 1 << TableBits;
    private const ulong BlockKeySalt = 0xD1B54A32D192ED03UL;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<ulong, ulong[]> Tables = new();

    public override long Length => length;

    public ulong Seed => seed;

    /// <summary>SplitMix64's output for <c>seed + (index + 1) * γ</c>.</summary>
    public static ulong SplitMix(ulong seed, ulong index)
    {
        var z = unchecked(seed + ((index + 1) * Gamma));
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>The 8-byte word with index <paramref name="index"/>.</summary>
    public static ulong Word(ulong seed, ulong index) =>
        TableOf(seed)[(int)(index & (TableWords - 1))] ^ SplitMix(seed ^ BlockKeySalt, index >> TableBits);

    public override void Read(long offset, Span<byte> destination) => Fill(seed, offset, destination);

    /// <summary>Writes the pattern bytes of <paramref name="offset"/>.. into <paramref name="destination"/>.</summary>
    public static void Fill(ulong seed, long offset, Span<byte> destination)
    {
        var index = (ulong)offset >> 3;
        var skip = (int)(offset & 7);
        var pos = 0;
        Span<byte> word = stackalloc byte[8];
        if (skip != 0)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(word, Word(seed, index));
            var take = Math.Min(8 - skip, destination.Length);
            word.Slice(skip, take).CopyTo(destination);
            pos = take;
            index++;
        }

        var whole = (destination.Length - pos) / 8;
        var words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(destination.Slice(pos, whole * 8));
        var table = TableOf(seed);
        var done = 0;
        while (done < words.Length)
        {
            // One 1 MiB block at a time: a slice of the table XOR the block's key.
            var at = (int)((index + (ulong)done) & (TableWords - 1));
            var n = Math.Min(TableWords - at, words.Length - done);
            var key = SplitMix(seed ^ BlockKeySalt, (index + (ulong)done) >> TableBits);
            XorInto(table.AsSpan(at, n), key, words.Slice(done, n));
            done += n;
        }

        if (!BitConverter.IsLittleEndian)
        {
            System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(words, words);
        }

        index += (ulong)whole;
        pos += whole * 8;
        if (pos < destination.Length)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(word, Word(seed, index));
            word[..(destination.Length - pos)].CopyTo(destination[pos..]);
        }
    }

    private static void XorInto(ReadOnlySpan<ulong> source, ulong key, Span<ulong> target)
    {
        var i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated && source.Length >= System.Numerics.Vector<ulong>.Count)
        {
            var k = new System.Numerics.Vector<ulong>(key);
            var width = System.Numerics.Vector<ulong>.Count;
            for (; i <= source.Length - width; i += width)
            {
                (new System.Numerics.Vector<ulong>(source[i..]) ^ k).CopyTo(target[i..]);
            }
        }

        for (; i < source.Length; i++)
        {
            target[i] = source[i] ^ key;
        }
    }

    private static ulong[] TableOf(ulong seed) => Tables.GetOrAdd(seed, static s =>
    {
        var table = new ulong[TableWords];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = SplitMix(s, (ulong)i);
        }

        return table;
    });
}

/// <summary>
/// Mostly zeros, like a thin disk: only the first <see cref="MarkLength"/> bytes of every
/// <c>stride</c>-sized block carry pattern bytes, so a reader can tell blocks apart.
/// </summary>
public sealed class SparseContent(long length, ulong seed, long stride) : FileContent
{
    public const int MarkLength = 512;

    public override long Length => length;

    public override void Read(long offset, Span<byte> destination)
    {
        destination.Clear();
        var end = offset + destination.Length;
        var block = offset / stride * stride;
        for (; block < end; block += stride)
        {
            var markStart = Math.Max(block, offset);
            var markEnd = Math.Min(block + MarkLength, end);
            if (markStart < markEnd)
            {
                PatternContent.Fill(seed, markStart, destination.Slice((int)(markStart - offset), (int)(markEnd - markStart)));
            }
        }
    }
}

/// <summary>
/// The bytes of a real file, read on demand; past the file's end (when the served size is
/// larger, as for a disk extent) the content is zeros.
/// </summary>
public sealed class HostFileContent(string path, long length) : FileContent
{
    public override long Length => length;

    public string Path => path;

    public override void Read(long offset, Span<byte> destination)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var read = 0;
        while (read < destination.Length)
        {
            var n = RandomAccess.Read(handle, destination[read..], offset + read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        destination[read..].Clear();
    }
}
