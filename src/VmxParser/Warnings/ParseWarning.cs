using EsxiImport.Diagnostics;

namespace EsxiImport.VmxParser.Warnings;

/// <summary>
/// Something a parser tolerated but a user should hear about (a garbage line, a repeated key, an
/// odd memory size, a disk it cannot place). Kept structured — line, catalogue id, arguments — so
/// callers can put it in import metadata, log it, or compare it in tests, and the text is only
/// produced from spec/messages.yaml when someone reads <see cref="Text"/>.
/// </summary>
/// <param name="Line">1-based line of the input the warning is about; null when it concerns no single line.</param>
/// <param name="MessageId">The catalogue id of the text.</param>
/// <param name="Args">The placeholder values, in the order the code supplied them.</param>
public sealed record ParseWarning(int? Line, string MessageId, IReadOnlyList<KeyValuePair<string, string>> Args)
{
    /// <summary>Creates a warning from name/value pairs; values are stored as invariant strings.</summary>
    public static ParseWarning Of(int? line, string messageId, params (string Name, object? Value)[] args) =>
        new(line, messageId, args.Select(a => new KeyValuePair<string, string>(
            a.Name,
            Convert.ToString(a.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty)).ToArray());

    /// <summary>The user-visible text, formatted from the catalogue.</summary>
    public string Text => Messages.Format(MessageId, Args.Select(a => (a.Key, (object?)a.Value)).ToArray());

    /// <summary>Structural equality, so lists of warnings compare by content in tests and callers.</summary>
    public bool Equals(ParseWarning? other) =>
        other is not null && Line == other.Line && MessageId == other.MessageId && Args.SequenceEqual(other.Args);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Line, MessageId, Args.Count);

    /// <inheritdoc/>
    public override string ToString() => Line is { } l ? $"line {l}: {Text}" : Text;
}
