using System.Text;

using EsxiImport.VmxParser.Warnings;

namespace EsxiImport.VmxParser.Syntax;

/// <summary>
/// A .vmx file as an ordered, lossless list of lines with case-insensitive key lookup. VMware
/// treats keys case-insensitively (<c>memsize</c> = <c>memSize</c>, <c>filename</c> =
/// <c>fileName</c>, FB-23/FB-24), so every lookup here does too; a key that appears more than
/// once yields its last value and a warning. Parsing never fails: lines that are not entries are
/// kept and reported as warnings.
/// </summary>
public sealed class VmxDocument
{
    private const string NotKeyValueMessageId = "vmx.syntax.not-key-value";
    private const string UnterminatedQuoteMessageId = "vmx.syntax.unterminated-quote";
    private const string TrailingTextMessageId = "vmx.syntax.trailing-text";
    private const string DuplicateKeyMessageId = "vmx.syntax.duplicate-key";
    private const string UnknownEncodingMessageId = "vmx.text.unknown-encoding";

    private readonly Dictionary<string, List<VmxLine>> _byKey;

    private VmxDocument(IReadOnlyList<VmxLine> lines, string encodingName, IReadOnlyList<ParseWarning> warnings)
    {
        Lines = lines;
        EncodingName = encodingName;
        Warnings = warnings;
        _byKey = new Dictionary<string, List<VmxLine>>(StringComparer.OrdinalIgnoreCase);
        var keys = new List<string>();
        foreach (var line in lines)
        {
            if (line.Kind != VmxLineKind.Entry)
            {
                continue;
            }

            if (!_byKey.TryGetValue(line.Key!, out var list))
            {
                _byKey[line.Key!] = list = [];
                keys.Add(line.Key!);
            }

            list.Add(line);
        }

        Keys = keys;
    }

    /// <summary>Every line in file order, blank lines, comments and garbage included.</summary>
    public IReadOnlyList<VmxLine> Lines { get; }

    /// <summary>The entry lines in file order (repeated keys appear each time).</summary>
    public IEnumerable<VmxLine> Entries => Lines.Where(l => l.Kind == VmxLineKind.Entry);

    /// <summary>Each distinct key once (as first written), in order of first appearance.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>The name of the encoding the bytes were decoded with ("UTF-8" unless <c>.encoding</c> named another).</summary>
    public string EncodingName { get; }

    /// <summary>Everything the parser tolerated, in line order.</summary>
    public IReadOnlyList<ParseWarning> Warnings { get; }

    /// <summary>The last value of <paramref name="key"/> (compared ignoring case), or null.</summary>
    public string? this[string key] => TryGetValue(key, out var v) ? v : null;

    /// <summary>Looks up the last value of <paramref name="key"/>, ignoring case.</summary>
    public bool TryGetValue(string key, out string value)
    {
        if (_byKey.TryGetValue(key, out var list))
        {
            value = list[^1].Value!;
            return true;
        }

        value = string.Empty;
        return false;
    }

    /// <summary>Every entry line of <paramref name="key"/> (ignoring case), in file order.</summary>
    public IReadOnlyList<VmxLine> Occurrences(string key) =>
        _byKey.TryGetValue(key, out var list) ? list : [];

    /// <summary>The text exactly as decoded: every line with its original line ending.</summary>
    public string ToText() => string.Concat(Lines.Select(l => l.Text + l.LineEnding));

    /// <summary>
    /// Parses raw file bytes. The <c>.encoding</c> line is found in the bytes first (it is ASCII),
    /// then the whole file is decoded with that encoding; UTF-8 when there is none, and UTF-8
    /// with a warning when the name is unknown.
    /// </summary>
    public static VmxDocument Parse(ReadOnlySpan<byte> bytes)
    {
        bytes = TextEncodings.WithoutBom(bytes);
        var warnings = new List<ParseWarning>();
        var encoding = TextEncodings.Utf8;
        var encodingName = "UTF-8";
        if (TextEncodings.Sniff(bytes, ".encoding") is var (name, line))
        {
            if (TextEncodings.Find(name) is { } found)
            {
                encoding = found;
                encodingName = name;
            }
            else
            {
                warnings.Add(ParseWarning.Of(line, UnknownEncodingMessageId, ("line", line), ("encoding", name)));
            }
        }

        return Build(encoding.GetString(bytes), encoding, encodingName, warnings);
    }

    /// <summary>
    /// Parses text that is already decoded. A <c>.encoding</c> entry is kept as an entry but not
    /// applied (the characters are final); escapes are decoded as UTF-8 bytes.
    /// </summary>
    public static VmxDocument Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Build(text, TextEncodings.Utf8, "UTF-8", []);
    }

    private static VmxDocument Build(string text, Encoding encoding, string encodingName, List<ParseWarning> warnings)
    {
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var lines = new List<VmxLine>();
        var firstLineOfKey = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var number = 0;
        var start = 0;
        while (start < text.Length)
        {
            number++;
            var nl = text.IndexOf('\n', start);
            var end = nl < 0 ? text.Length : nl;
            var lineEnd = end;
            var ending = nl < 0 ? string.Empty : "\n";
            if (lineEnd > start && text[lineEnd - 1] == '\r')
            {
                lineEnd--;
                ending = "\r" + ending;
            }

            var lineText = text[start..lineEnd];
            start = nl < 0 ? text.Length : nl + 1;
            var lexed = VmxLexer.Lex(lineText);
            switch (lexed.Kind)
            {
                case VmxLineKind.Entry:
                    var key = lexed.Key!;
                    var value = VmxEscapes.Unescape(lexed.Value!, encoding);
                    if (lexed.Problem == VmxLineProblem.UnterminatedQuote)
                    {
                        warnings.Add(ParseWarning.Of(number, UnterminatedQuoteMessageId, ("line", number), ("key", key)));
                    }
                    else if (lexed.Problem == VmxLineProblem.TrailingText)
                    {
                        warnings.Add(ParseWarning.Of(number, TrailingTextMessageId, ("line", number), ("key", key)));
                    }

                    if (firstLineOfKey.TryGetValue(key, out var first))
                    {
                        warnings.Add(ParseWarning.Of(number, DuplicateKeyMessageId, ("line", number), ("key", key), ("first", first)));
                    }
                    else
                    {
                        firstLineOfKey[key] = number;
                    }

                    lines.Add(new VmxLine(number, VmxLineKind.Entry, lineText, ending, key, value));
                    break;
                case VmxLineKind.Invalid:
                    warnings.Add(ParseWarning.Of(number, NotKeyValueMessageId, ("line", number), ("text", Shorten(lineText))));
                    lines.Add(new VmxLine(number, VmxLineKind.Invalid, lineText, ending, null, null));
                    break;
                default:
                    lines.Add(new VmxLine(number, lexed.Kind, lineText, ending, null, null));
                    break;
            }
        }

        return new VmxDocument(lines, encodingName, warnings.OrderBy(w => w.Line ?? 0).ToList());
    }

    // A garbage line may be a whole binary blob; the warning quotes only its start.
    private static string Shorten(string line) => line.Length <= 60 ? line : line[..60] + "…";
}
