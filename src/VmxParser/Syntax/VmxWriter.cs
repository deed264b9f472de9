using System.Text;

namespace EsxiImport.VmxParser.Syntax;

/// <summary>
/// Renders <c>key = "value"</c> lines the way VMware writes .vmx files: every value quoted, and
/// the bytes a quoted value cannot hold written as <c>|XX</c> hex escapes (<c>|22</c> quote,
/// <c>|7C</c> bar, <c>|0A</c> newline, any control character).
/// </summary>
public static class VmxWriter
{
    /// <summary>Renders the entries in order, one per line, each line ending in <c>\n</c>.</summary>
    public static string Render(IEnumerable<KeyValuePair<string, string>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var sb = new StringBuilder();
        foreach (var (key, value) in entries)
        {
            sb.Append(key).Append(" = \"").Append(EscapeValue(value)).Append("\"\n");
        }

        return sb.ToString();
    }

    /// <summary>
    /// Renders the entries as the bytes of a file in <paramref name="encodingName"/>, with the
    /// <c>.encoding</c> line first as VMware writes it. Characters the encoding cannot hold
    /// become '?', as in any re-encoding; escapes are ASCII and survive every encoding.
    /// </summary>
    public static byte[] RenderBytes(IEnumerable<KeyValuePair<string, string>> entries, string encodingName)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(encodingName);
        var encoding = TextEncodings.Find(encodingName)
            ?? throw new ArgumentException("unknown encoding: " + encodingName, nameof(encodingName));
        var text = Render([new KeyValuePair<string, string>(".encoding", encodingName), .. entries]);
        return encoding.GetBytes(text);
    }

    /// <summary>Escapes one value for use between the quotes of a .vmx line.</summary>
    public static string EscapeValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c == '"' || c == '|' || c < 0x20 || c == 0x7F)
            {
                sb.Append('|').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
