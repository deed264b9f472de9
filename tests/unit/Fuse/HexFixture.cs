using System.Globalization;
using System.Runtime.InteropServices;

using EsxiImport.UnitTests.Support;

namespace EsxiImport.UnitTests.Fuse;

/// <summary>Reads the commented hex frames of spec/fuse (bytes in hex pairs; '#' starts a comment).</summary>
public static class HexFixture
{
    public static string PathOf(string file) => RepoPaths.Spec("fuse", file);

    /// <summary>Every case name, from the *.in.hex files.</summary>
    public static IEnumerable<string> CaseNames() =>
        Directory.EnumerateFiles(RepoPaths.Spec("fuse"), "*.in.hex").Select(f => Path.GetFileName(f)[..^".in.hex".Length]).Order(StringComparer.Ordinal);

    public static byte[] Bytes(string file)
    {
        var bytes = new List<byte>();
        foreach (var line in File.ReadLines(PathOf(file)))
        {
            var hash = line.IndexOf('#', StringComparison.Ordinal);
            var data = hash >= 0 ? line[..hash] : line;
            foreach (var token in data.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                bytes.Add(byte.Parse(token, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }
        }

        return bytes.ToArray();
    }

    /// <summary>
    /// Splits a request file into frames. Each frame starts with a header whose len field gives
    /// its size; a file's last frame may be shorter than its len (a malformed case), and then it
    /// is the rest of the file.
    /// </summary>
    public static IReadOnlyList<byte[]> Frames(string file)
    {
        var all = Bytes(file);
        var frames = new List<byte[]>();
        var pos = 0;
        while (pos < all.Length)
        {
            var len = all.Length - pos >= 4 ? (int)MemoryMarshal.Read<uint>(all.AsSpan(pos)) : all.Length - pos;
            if (len <= 0 || pos + len > all.Length)
            {
                len = all.Length - pos;
            }

            frames.Add(all[pos..(pos + len)]);
            pos += len;
        }

        return frames;
    }

    /// <summary>Bytes as 8-byte rows, to make a mismatch readable in a test failure.</summary>
    public static string Rows(byte[] bytes) =>
        string.Join('\n', bytes.Chunk(8).Select((row, i) => $"{i * 8,5}: " + string.Join(' ', row.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)))));
}
