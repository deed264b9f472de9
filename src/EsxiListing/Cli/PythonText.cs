using System.Globalization;
using System.Text;

namespace EsxiImport.Listing.Cli;

/// <summary>
/// The two bits of Python that argparse's messages show: <c>int()</c> of an option value, and
/// <c>repr()</c> of the text quoted in an error.
/// </summary>
internal static class PythonText
{
    /// <summary>
    /// <c>int(text)</c>: surrounding white space, an optional sign, decimal digits (any script),
    /// single underscores between digits. Values beyond <see cref="long"/> saturate.
    /// </summary>
    public static bool TryParseInt(string text, out long value)
    {
        value = 0;
        var s = text.AsSpan().Trim();
        var negative = false;
        if (s.Length > 0 && s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s.IsEmpty || s[0] == '_' || s[^1] == '_')
        {
            return false;
        }

        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '_')
            {
                if (s[i - 1] == '_')
                {
                    return false;
                }

                continue;
            }

            if (CharUnicodeInfo.GetUnicodeCategory(s[i]) != UnicodeCategory.DecimalDigitNumber)
            {
                return false;
            }

            var digit = (long)CharUnicodeInfo.GetDecimalDigitValue(s[i]);
            value = value > (long.MaxValue - digit) / 10 ? long.MaxValue : (value * 10) + digit;
        }

        value = negative ? -value : value;
        return true;
    }

    /// <summary><c>repr(text)</c>: single quotes unless the text has one and no double quote.</summary>
    public static string Repr(string text)
    {
        var quote = text.Contains('\'', StringComparison.Ordinal) && !text.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var sb = new StringBuilder(text.Length + 2).Append(quote);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\\' => sb.Append(@"\\"),
                '\n' => sb.Append(@"\n"),
                '\r' => sb.Append(@"\r"),
                '\t' => sb.Append(@"\t"),
                _ when c == quote => sb.Append('\\').Append(c),
                _ when c < ' ' || (c >= 0x7f && c <= 0xa0) => sb.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ => sb.Append(c),
            };
        }

        return sb.Append(quote).ToString();
    }
}
