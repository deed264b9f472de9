using System.Diagnostics;

namespace EsxiImport.IntegrationTests.Golden;

/// <summary>
/// Finds the tool processes of one sandbox: argv[0] is the built tool and an argument lies in the
/// sandbox folder. The plugin's double fork hides the tool's pid from the launcher, so this is
/// how a run waits for the tool to end, kills it before ready, or cleans it up after a failure.
/// </summary>
public static class ToolProcesses
{
    public static IReadOnlyList<int> Find(string sandboxDir)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            string[] argv;
            try
            {
                argv = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            if (argv.Length > 1 && argv[0] == IntegrationTests.Plugin.ToolUnderTest.ToolPath && argv.Skip(1).Any(a => a.StartsWith(sandboxDir, StringComparison.Ordinal)))
            {
                found.Add(pid);
            }
        }

        return found;
    }

    /// <summary>True when no tool process of the sandbox is left within the deadline.</summary>
    public static async Task<bool> WaitGoneAsync(string sandboxDir, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        while (Find(sandboxDir).Count > 0)
        {
            if (clock.Elapsed > deadline)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    /// <summary>Whether process <paramref name="pid"/> has <paramref name="path"/> open.</summary>
    public static bool HoldsOpen(int pid, string path)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Any(fd => new FileInfo(fd).LinkTarget == path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Sends signal <paramref name="signal"/> (a process that is gone is fine).</summary>
    public static void Signal(int pid, int signal)
    {
        if (signal == 9)
        {
            Kill(pid);
        }
        else
        {
            using var kill = Process.Start("kill", ["-" + signal.ToString(System.Globalization.CultureInfo.InvariantCulture), pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
            kill.WaitForExit();
        }
    }

    public static void Kill(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            p.Kill();
        }
        catch (ArgumentException)
        {
            // already gone
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }
}
