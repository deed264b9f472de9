using EsxiImport.Diagnostics;

using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EsxiImport.PropertyTests.Diagnostics;

/// <summary>
/// Whatever a name in an error carries (NUL, ESC, DEL, C1 controls, line breaks), the three
/// renderings of a fatal error keep to their shape: one stderr line, one ready-fd line, and a
/// syslog record whose only line feeds separate the chain.
/// </summary>
public sealed class RenderingProperties
{
    private static readonly char[] Alphabet = ['a', 'Z', '0', ' ', '"', '\\', 'ß', '日', '\0', '\a', '\t', '\n', '\r', '\u001b', '\u007f', '\u0085', '\u009b'];

    private static Gen<string> Names() => Gen.Elements(Alphabet).ArrayOf().Select(c => new string(c));

    // Backslashes are not escaped (only a quoted path escapes them), so only text without them reads back exactly.
    private static Gen<string> NamesWithoutBackslash() => Gen.Elements(Alphabet.Where(c => c != '\\').ToArray()).ArrayOf().Select(c => new string(c));

    private static Gen<Exception> Chains() =>
        from names in Names().NonEmptyListOf()
        select names.Aggregate<string, Exception?>(null, (inner, name) => new InvalidOperationException("step " + name, inner))!;

    private static bool NoControls(string text) => !text.Any(char.IsControl);

    [Property(MaxTest = 500)]
    public Property No_control_character_reaches_a_channel_raw() =>
        Prop.ForAll(Arb.From(Chains()), error =>
        {
            var stderr = ErrorReport.StderrLine(error);
            var ready = ErrorReport.ReadyFdLine(error);
            var syslog = ErrorReport.SyslogRecord(error);
            return NoControls(stderr)
                && ready.EndsWith('\n') && NoControls(ready[..^1])
                && syslog.Split("\n ").All(NoControls)
                && syslog.Split("\n ").Length == ErrorChain.Of(error).Count;
        });

    [Property(MaxTest = 500)]
    public Property Escaping_keeps_every_other_character_and_reads_back() =>
        Prop.ForAll(Arb.From(NamesWithoutBackslash()), name =>
        {
            var escaped = ControlCharacters.Escape(name);
            return NoControls(escaped) && Unescape(escaped) == name;
        });

    /// <summary>An independent reader of the escapes (\0 \t \n \r \u{x}).</summary>
    private static string Unescape(string text)
    {
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i + 1 >= text.Length)
            {
                sb.Append(text[i]);
                continue;
            }

            var next = text[i + 1];
            if (next is '0' or 't' or 'n' or 'r')
            {
                sb.Append(next switch { '0' => '\0', 't' => '\t', 'n' => '\n', _ => '\r' });
                i++;
            }
            else if (next == 'u' && i + 2 < text.Length && text[i + 2] == '{' && text.IndexOf('}', i) is var end and > 0)
            {
                sb.Append((char)Convert.ToInt32(text[(i + 3)..end], 16));
                i = end;
            }
            else
            {
                sb.Append('\\');
            }
        }

        return sb.ToString();
    }
}
