using System.Globalization;
using System.Text;

namespace EsxiImport.Diagnostics;

/// <summary>
/// Control characters (NUL, ESC, DEL, the C1 range…) written as visible escapes, the way Rust's
/// <c>{:?}</c> shows them (<c>\0</c>, <c>\t</c>, <c>\u{1b}</c>). A name from a manifest or a
/// host may carry them; raw, they would cut a ready-fd line, hide text from a terminal or a
/// syslog reader, or end a C string early.
/// </summary>
public static class ControlCharacters
{
    /// <summary>
    /// <paramref name="text"/> with every control character escaped; with
    /// <paramref name="keepLineFeeds"/>, <c>\n</c> stays (it separates the lines of a multi-line
    /// record on purpose).
    /// </summary>
    public static string Escape(string text, bool keepLineFeeds = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(c => char.IsControl(c) && !(keepLineFeeds && c == '\n')))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (keepLineFeeds && c == '\n')
            {
                sb.Append(c);
            }
            else
            {
                Append(sb, c);
            }
        }

        return sb.ToString();
    }

    /// <summary>Appends <paramref name="c"/>, escaped when it is a control character.</summary>
    public static void Append(StringBuilder sb, char c)
    {
        ArgumentNullException.ThrowIfNull(sb);
        switch (c)
        {
            case '\n': sb.Append("\\n"); break;
            case '\r': sb.Append("\\r"); break;
            case '\t': sb.Append("\\t"); break;
            case '\0': sb.Append("\\0"); break;
            default:
                if (char.IsControl(c))
                {
                    sb.Append("\\u{").Append(((int)c).ToString("x", CultureInfo.InvariantCulture)).Append('}');
                }
                else
                {
                    sb.Append(c);
                }

                break;
        }
    }
}
