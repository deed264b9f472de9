using System.Globalization;

namespace EsxiImport.Emulator.Http;

/// <summary>
/// One <c>Range: bytes=…</c> request: <c>a-b</c>, <c>a-</c> or the suffix form <c>-n</c>. Other
/// forms (several ranges, other units, garbage) are ignored and the whole file is served, as
/// RFC 9110 allows; nobody among the studied clients sends them.
/// </summary>
public readonly record struct ByteRange(long? First, long? Last)
{
    /// <summary>Parses a Range header; null when there is none or it is not a single byte range.</summary>
    public static ByteRange? Parse(string? header)
    {
        if (header is null || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var spec = header["bytes=".Length..].Trim();
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0 || spec.Contains(',', StringComparison.Ordinal))
        {
            return null;
        }

        var a = spec[..dash].Trim();
        var b = spec[(dash + 1)..].Trim();
        long? first = a.Length == 0 ? null : Number(a);
        long? last = b.Length == 0 ? null : Number(b);
        if ((a.Length > 0 && first is null) || (b.Length > 0 && last is null) || (first is null && last is null))
        {
            return null;
        }

        if (first is { } f && last is { } l && l < f)
        {
            return null;
        }

        return new ByteRange(first, last);
    }

    /// <summary>
    /// The absolute [start, end] (inclusive) within a file of <paramref name="size"/> bytes, the
    /// end clipped to the end of file; null when the range cannot be satisfied (start at or past the end).
    /// </summary>
    public (long Start, long End)? Resolve(long size)
    {
        if (First is null)
        {
            // Suffix range: the last n bytes.
            var n = Math.Min(Last!.Value, size);
            return n == 0 ? null : (size - n, size - 1);
        }

        if (First.Value >= size)
        {
            return null;
        }

        return (First.Value, Math.Min(Last ?? (size - 1), size - 1));
    }

    private static long? Number(string s) =>
        long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}
