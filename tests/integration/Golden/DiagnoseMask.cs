using System.Diagnostics;
using System.Text.RegularExpressions;

namespace EsxiImport.IntegrationTests.Golden;

/// <summary>
/// The figures a diagnosis measures (latency, seconds, MiB/s, and the MiB a time-bounded read got)
/// differ from run to run; a golden file holds <c>#</c> in their place. Everything else of the
/// report is compared exactly.
/// </summary>
public static partial class DiagnoseMask
{
    [GeneratedRegex(@"\b\d+\.\d(?= (?:ms|s|MiB/s|MiB in)\b)")]
    private static partial Regex Figure();

    public static string Text(string report) => Figure().Replace(report, "#");

    public static string ScriptPath => Path.Combine(IntegrationTests.Plugin.ToolUnderTest.RepoRoot(), "tests", "integration", "plugin", "diagnose_json.pl");

    /// <summary>Decodes the JSON report with Perl's JSON module, masks the measured fields there and re-encodes it canonically.</summary>
    public static async Task<string> JsonThroughPerlAsync(string json)
    {
        var start = new ProcessStartInfo("perl") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(ScriptPath);
        using var p = Process.Start(start)!;
        await p.StandardInput.WriteAsync(json);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return p.ExitCode == 0 ? await stdout : "perl could not decode the report: " + await stderr;
    }
}
