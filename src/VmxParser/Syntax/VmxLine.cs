namespace EsxiImport.VmxParser.Syntax;

/// <summary>
/// One physical line of a .vmx file exactly as it was read (<see cref="Text"/> plus its
/// <see cref="LineEnding"/>), and for entries the key and the unescaped value.
/// </summary>
/// <param name="Number">1-based line number.</param>
/// <param name="Kind">Blank, comment, entry or invalid.</param>
/// <param name="Text">The decoded line without its line break.</param>
/// <param name="LineEnding">"\n", "\r\n", or "" for a last line without a break.</param>
/// <param name="Key">The key as written (case kept); null unless an entry.</param>
/// <param name="Value">The value with quotes removed and <c>|XX</c> escapes decoded; null unless an entry.</param>
public sealed record VmxLine(int Number, VmxLineKind Kind, string Text, string LineEnding, string? Key, string? Value);
