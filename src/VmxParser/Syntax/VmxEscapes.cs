using System.Text;

namespace EsxiImport.VmxParser.Syntax;

/// <summary>
/// VMware's value escapes: <c>|XX</c> is the byte with hex value XX (<c>|22</c> quote,
/// <c>|7C</c> bar, <c>|0A</c> newline). They escape bytes of the file's encoding, so a run of
/// consecutive escapes is collected and decoded as one byte sequence; a <c>|</c> that is not
/// followed by two hex digits is kept as it is, as VMware does.
/// </summary>
internal static class VmxEscapes
{
    public static string Unescape(string raw, Encoding encoding)
    {
        if (!raw.Contains('|', StringComparison.Ordinal))
        {
            return raw;
        }

        var sb = new StringBuilder(raw.Length);
        var run = new List<byte>();
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '|' && i + 2 < raw.Length && IsHex(raw[i + 1]) && IsHex(raw[i + 2]))
            {
                run.Add((byte)((HexValue(raw[i + 1]) << 4) | HexValue(raw[i + 2])));
                i += 2;
                continue;
            }

            Flush(sb, run, encoding);
            sb.Append(raw[i]);
        }

        Flush(sb, run, encoding);
        return sb.ToString();
    }

    private static void Flush(StringBuilder sb, List<byte> run, Encoding encoding)
    {
        if (run.Count > 0)
        {
            sb.Append(encoding.GetString(run.ToArray()));
            run.Clear();
        }
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
