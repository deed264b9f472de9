using System.Text;
using System.Text.RegularExpressions;

namespace EsxiImport.TestSupport.Plugin;

/// <summary>
/// The plugin's reading of the ready pipe: <c>/^ERROR: (.*)$/</c> without /s or /m, so only a
/// single-line payload (optionally newline-terminated) counts (FB-12). .NET's <c>^</c>, <c>$</c>
/// and <c>.</c> without options mean what Perl's do here.
/// </summary>
public static partial class PluginRule
{
    [GeneratedRegex("^ERROR: (.*)$")]
    private static partial Regex CaseSensitive();

    [GeneratedRegex("^ERROR: (.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex CaseInsensitive();

    /// <summary>The message of an <c>ERROR:</c> payload, or null when the text does not match.</summary>
    public static string? ErrorMessage(byte[] pipeText, PluginVariant variant)
    {
        var text = Encoding.UTF8.GetString(pipeText);
        var m = (variant == PluginVariant.May2024 ? CaseInsensitive() : CaseSensitive()).Match(text);
        return m.Success ? m.Groups[1].Value : null;
    }
}
