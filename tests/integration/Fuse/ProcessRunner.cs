using System.Diagnostics;

namespace EsxiImport.IntegrationTests.Fuse;

/// <summary>The outcome of a finished child process.</summary>
public sealed record ProcessResult(int ExitCode, byte[] Stdout, string Stderr)
{
    public string StdoutText => System.Text.Encoding.UTF8.GetString(Stdout);
}

/// <summary>
/// Starts child processes for the mount tests and guarantees they are gone at the end: every
/// process started here is killed (whole tree) on dispose, whether the test passed or not.
/// </summary>
public sealed class ProcessRunner : IDisposable
{
    private readonly List<Process> _started = [];

    public Process Start(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException(file + " did not start");
        lock (_started)
        {
            _started.Add(process);
        }

        return process;
    }

    /// <summary>Runs a command to completion (killed after <paramref name="timeoutSeconds"/>).</summary>
    public async Task<ProcessResult> RunAsync(string file, string[] args, int timeoutSeconds = 30)
    {
        var process = Start(file, args);
        process.StandardInput.Close();
        using var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {timeoutSeconds} s");
        }

        await copy;
        return new ProcessResult(process.ExitCode, stdout.ToArray(), await stderr);
    }

    public Task<ProcessResult> ShellAsync(string script, int timeoutSeconds = 30) => RunAsync("/bin/sh", ["-c", script], timeoutSeconds);

    public void Dispose()
    {
        lock (_started)
        {
            foreach (var p in _started)
            {
                try
                {
                    if (!p.HasExited)
                    {
                        p.Kill(entireProcessTree: true);
                        p.WaitForExit(5000);
                    }
                }
                catch (InvalidOperationException)
                {
                    // Already gone.
                }

                p.Dispose();
            }

            _started.Clear();
        }
    }
}
