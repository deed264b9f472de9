namespace EsxiImport.VmxParser.Syntax;

/// <summary>What one physical line of a .vmx file is.</summary>
public enum VmxLineKind
{
    /// <summary>Empty or whitespace only.</summary>
    Blank,

    /// <summary>A <c>#</c> comment.</summary>
    Comment,

    /// <summary>A <c>key = value</c> entry.</summary>
    Entry,

    /// <summary>Anything else; kept verbatim and reported as a warning.</summary>
    Invalid,
}

/// <summary>A line the entry was read from could be read only with a repair.</summary>
internal enum VmxLineProblem
{
    None,
    UnterminatedQuote,
    TrailingText,
}

/// <summary>One line split into its parts; <see cref="Value"/> is still escaped (<c>|22</c> etc.).</summary>
internal readonly record struct LexedLine(VmxLineKind Kind, string? Key, string? Value, VmxLineProblem Problem);

/// <summary>
/// Splits one line (without its line break) into key and raw value. The grammar is VMware's:
/// <c>key = "value"</c> with any whitespace around the <c>=</c>, or a bare value; a quoted value
/// ends at the next quote because a quote inside a value is always written as <c>|22</c>.
/// </summary>
internal static class VmxLexer
{
    public static LexedLine Lex(string line)
    {
        var text = line.AsSpan().Trim();
        if (text.IsEmpty)
        {
            return new LexedLine(VmxLineKind.Blank, null, null, VmxLineProblem.None);
        }

        if (text[0] == '#')
        {
            return new LexedLine(VmxLineKind.Comment, null, null, VmxLineProblem.None);
        }

        var eq = text.IndexOf('=');
        if (eq <= 0)
        {
            return Invalid;
        }

        var key = text[..eq].TrimEnd();
        if (!IsKey(key))
        {
            return Invalid;
        }

        var rest = text[(eq + 1)..].TrimStart();
        if (rest.IsEmpty || rest[0] != '"')
        {
            return new LexedLine(VmxLineKind.Entry, key.ToString(), rest.ToString(), VmxLineProblem.None);
        }

        var close = rest[1..].IndexOf('"');
        if (close < 0)
        {
            return new LexedLine(VmxLineKind.Entry, key.ToString(), rest[1..].ToString(), VmxLineProblem.UnterminatedQuote);
        }

        var value = rest.Slice(1, close).ToString();
        var after = rest[(close + 2)..].TrimStart();
        var problem = after.IsEmpty || after[0] == '#' ? VmxLineProblem.None : VmxLineProblem.TrailingText;
        return new LexedLine(VmxLineKind.Entry, key.ToString(), value, problem);
    }

    private static LexedLine Invalid => new(VmxLineKind.Invalid, null, null, VmxLineProblem.None);

    // Keys are dotted words (scsi0:0.fileName, ethernet0.generatedAddress, .encoding); anything
    // with whitespace or quotes before the '=' is not a key but a garbled line.
    private static bool IsKey(ReadOnlySpan<char> key)
    {
        foreach (var c in key)
        {
            if (char.IsWhiteSpace(c) || c is '"' or '#' or '=' || char.IsControl(c))
            {
                return false;
            }
        }

        return !key.IsEmpty;
    }
}
