using System.Text;

using EsxiImport.Diagnostics;

namespace EsxiImport.EsxiFuse.Cli;

/// <summary>
/// Quotes a path the way upstream prints one in its messages (Rust's <c>{:?}</c> of a path):
/// double quotes, with quotes, backslashes and control characters escaped, so a name with a
/// line break still yields one line.
/// </summary>
internal static class DebugQuote
{
    public static string Of(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                default: ControlCharacters.Append(sb, c); break;
            }
        }

        return sb.Append('"').ToString();
    }
}
