using System.Text;

namespace EsxiImport.VmxParser.Syntax;

/// <summary>
/// Maps the encoding names VMware writes (<c>.encoding = "windows-1252"</c> in .vmx files,
/// <c>encoding="Shift_JIS"</c> in VMDK descriptors) to .NET encodings. The legacy code pages
/// live in the shared framework's CodePages provider, which must be registered once before
/// <see cref="Encoding.GetEncoding(string)"/> knows them.
/// </summary>
internal static class TextEncodings
{
    private static readonly Lazy<bool> ProviderRegistered = new(() =>
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return true;
    });

    /// <summary>UTF-8 without a byte-order mark, whose decoder substitutes invalid bytes instead of throwing.</summary>
    public static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>The encoding of that name, or null when .NET does not know it.</summary>
    public static Encoding? Find(string name)
    {
        _ = ProviderRegistered.Value;
        if (string.Equals(name.Trim(), "UTF-8", StringComparison.OrdinalIgnoreCase)
            || string.Equals(name.Trim(), "UTF8", StringComparison.OrdinalIgnoreCase))
        {
            return Utf8;
        }

        try
        {
            // Decoding must never throw, whatever bytes the file holds: replacement fallbacks.
            return Encoding.GetEncoding(name.Trim(), EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// Finds the <c>key = "name"</c> line naming the encoding by looking at the raw bytes: the line
    /// itself is plain ASCII in every encoding VMware writes, so it can be read before the text
    /// is decoded. Returns the name and its 1-based line, or null when no such line exists.
    /// </summary>
    public static (string Name, int Line)? Sniff(ReadOnlySpan<byte> bytes, string key)
    {
        var lineNumber = 0;
        while (!bytes.IsEmpty)
        {
            lineNumber++;
            var end = bytes.IndexOf((byte)'\n');
            var line = end < 0 ? bytes : bytes[..end];
            bytes = end < 0 ? [] : bytes[(end + 1)..];
            var text = Ascii(line);
            if (text is null)
            {
                continue;
            }

            var lexed = VmxLexer.Lex(text.TrimEnd('\r'));
            if (lexed.Kind == VmxLineKind.Entry && string.Equals(lexed.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return (lexed.Value!, lineNumber);
            }
        }

        return null;
    }

    /// <summary>Strips a UTF-8 byte-order mark, which some editors add and VMware never writes.</summary>
    public static ReadOnlySpan<byte> WithoutBom(ReadOnlySpan<byte> bytes) =>
        bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? bytes[3..] : bytes;

    private static string? Ascii(ReadOnlySpan<byte> line)
    {
        foreach (var b in line)
        {
            if (b >= 0x80)
            {
                return null;
            }
        }

        return Encoding.ASCII.GetString(line);
    }
}
