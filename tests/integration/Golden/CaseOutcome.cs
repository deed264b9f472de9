using System.Text;

namespace EsxiImport.IntegrationTests.Golden;

/// <summary>
/// What one run showed, normalised, per expected file name (<c>stderr</c>, <c>syslog</c>,
/// <c>ready-fd</c>, <c>exit</c>, <c>plugin-today</c>, <c>plugin-may2024</c>, <c>stdout</c>), and the
/// comparison with the case folder: every difference is collected so one failure shows them all.
/// </summary>
public sealed class CaseOutcome(GoldenCase c, string run)
{
    private readonly List<string> _differences = [];

    public static bool Accepting => Environment.GetEnvironmentVariable("ACCEPT") == "1";

    public Dictionary<string, string> Actual { get; } = new(StringComparer.Ordinal);

    public static string SyslogText(IEnumerable<string> records) => string.Concat(records.Select(r => r + "\n"));

    /// <summary>Compares <paramref name="text"/> with the case's file (or stores it for ACCEPT=1).</summary>
    public void Check(string file, string text)
    {
        lock (_differences)
        {
            CheckLocked(file, text);
        }
    }

    private void CheckLocked(string file, string text)
    {
        Actual.TryAdd(file, text);
        if (Accepting)
        {
            return;
        }

        var expected = c.ExpectedFile(file);
        if (expected is null)
        {
            _differences.Add($"{file}: spec/cases/{c.Id}/{file} is missing (ACCEPT=1 writes it)");
        }
        else if (expected != text && !(IsRace(file, expected) && expected.Split('\n').Contains(text.TrimEnd('\n'))))
        {
            _differences.Add($"{file} differs ({run}):\n--- expected\n{Show(expected)}\n--- actual\n{Show(text)}");
        }
    }

    /// <summary>
    /// A plugin file with more than one line lists the answers the plugin may give when its own
    /// logic races (FB-11: EOF on the ready pipe before the tool's exit can be reaped); the run
    /// must give one of them. Only the plugin's verdict may be written this way.
    /// </summary>
    private static bool IsRace(string file, string expected) =>
        file.StartsWith("plugin-", StringComparison.Ordinal) && expected.TrimEnd('\n').Contains('\n', StringComparison.Ordinal);

    /// <summary>Writes the recorded files into the case folder (ACCEPT=1), for review in the diff; lists of racing answers are kept.</summary>
    public void Accept()
    {
        foreach (var (file, text) in Actual)
        {
            if (c.ExpectedFile(file) is { } old && IsRace(file, old))
            {
                continue;
            }

            File.WriteAllText(Path.Combine(c.Folder, file), text);
        }
    }

    public void Fail(string message)
    {
        lock (_differences)
        {
            _differences.Add($"{run}: {message}");
        }
    }

    public void ThrowIfDifferent()
    {
        if (_differences.Count > 0)
        {
            throw new Xunit.Sdk.XunitException($"case {c.Id}: {_differences.Count} difference(s)\n" + string.Join("\n", _differences));
        }
    }

    /// <summary>What the user would have seen, for scripts/run-case.sh.</summary>
    public void Report()
    {
        if (Environment.GetEnvironmentVariable("GOLDEN_REPORT") is not { Length: > 0 } path)
        {
            return;
        }

        var text = new StringBuilder().Append(CultureInfoInvariant($"== {c.Id} ({run}): {c.About}\n"));
        foreach (var (file, value) in Actual)
        {
            text.Append("-- ").Append(file).Append('\n').Append(value.Length == 0 ? "(empty)\n" : value.EndsWith('\n') ? value : value + "\n");
        }

        File.AppendAllText(path, text.ToString());
    }

    private static string CultureInfoInvariant(FormattableString s) => FormattableString.Invariant(s);

    private static string Show(string s) => s.Length == 0 ? "(empty)" : s.Replace("\n", "⏎\n", StringComparison.Ordinal);
}
