using System.Globalization;
using System.Text;

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

        return sb.Append('"').ToString();
    }
}
