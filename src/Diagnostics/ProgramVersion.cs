using System.Reflection;

namespace EsxiImport.Diagnostics;

/// <summary>
/// The version every program prints for <c>-v</c>/<c>--version</c>: the <c>Version</c> of
/// Directory.Build.props, which the Debian package carries too. Read from this library because
/// every program links it and all assemblies are built with the same number.
/// </summary>
public static class ProgramVersion
{
    /// <summary>The version without the build metadata (<c>+commit</c>) the SDK appends.</summary>
    public static string Text { get; } = Strip(
        typeof(ProgramVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0");

    private static string Strip(string informational)
    {
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}
