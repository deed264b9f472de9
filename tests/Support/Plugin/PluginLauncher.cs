using System.Diagnostics;
using System.Globalization;

using EsxiImport.Diagnostics;

namespace EsxiImport.TestSupport.Plugin;

/// <summary>
/// Reproduces ESXiPlugin.pm's <c>esxi_mount</c>: spawn the tool with the write end of a pipe as
/// <c>--ready-fd</c>, read the pipe to EOF, then apply the plugin's rule (an <c>ERROR:</c> line is the
/// message; otherwise an exit seen by a non-blocking wait is
/// <c>failed to spawn fuse mount, process exited with status &lt;raw wait status&gt;</c>; otherwise
/// success).
/// The pipe is the child's stdout pipe that .NET creates (close-on-exec in this process), and a
/// small <c>/bin/sh</c> trampoline moves it to fd 3 before exec. A pipe made inheritable in this
/// process would leak into every other child started meanwhile (.NET does not close inherited
/// fds), and any such child would hold the write end open and fake a hang. The trampoline also
/// does the variants' forking: <c>exec</c> for a single fork, a background job plus exit for the
/// double fork of today's plugin.
/// </summary>
public static class PluginLauncher
{
    /// <summary>The fd number the tool gets as <c>--ready-fd</c>.</summary>
    public const int ReadyFd = 3;

    private const string SingleFork = "exec 3>&1 1>/dev/null; exec \"$@\"";
    private const string SingleForkStderrInPipe = "exec 3>&1 2>&1 1>/dev/null; exec \"$@\"";
    private const string DoubleFork = "pf=$1; shift; exec 3>&1 1>/dev/null </dev/null; setsid \"$@\" & echo $! > \"$pf\"; exit 0";

    private static readonly TimeSpan StderrGrace = TimeSpan.FromSeconds(2);

    public static Task<PluginLaunchResult> LaunchAsync(PluginLaunchRequest request) => LaunchAsync(request, null);

    /// <summary>
    /// Launches as the plugin does; <paramref name="whileRunning"/>, when given, gets the plugin's
    /// decision while the tool may still be serving (a test inspects and unmounts a healthy mount
    /// there). After it returns, the single-fork variants wait for the tool to exit, up to the
    /// request's timeout, and report its exit code in <see cref="PluginLaunchResult.ExitCode"/>.
    /// </summary>
    public static async Task<PluginLaunchResult> LaunchAsync(PluginLaunchRequest request, Func<PluginLaunchResult, Task>? whileRunning)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pidFile = request.Variant == PluginVariant.Today ? Path.GetTempFileName() : null;
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(request.Variant switch
        {
            PluginVariant.Today => DoubleFork,
            PluginVariant.May2024 => SingleForkStderrInPipe,
            _ => SingleFork,
        });
        start.ArgumentList.Add("sh");
        if (pidFile is not null)
        {
            start.ArgumentList.Add(pidFile);
        }

        foreach (var part in request.ToolCommand.Concat(request.ToolArguments(ReadyFd)))
        {
            start.ArgumentList.Add(part);
        }

        foreach (var (name, value) in request.Environment)
        {
            start.Environment[name] = value;
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("/bin/sh did not start");
        var stderr = new MemoryStream();
        var stderrCopy = process.StandardError.BaseStream.CopyToAsync(stderr);
        int? toolPid = process.Id;
        try
        {
            if (request.Variant == PluginVariant.Today)
            {
                // The plugin reaps the intermediate child with a blocking wait before reading.
                await process.WaitForExitAsync();
                toolPid = int.TryParse((await File.ReadAllTextAsync(pidFile!)).Trim(), CultureInfo.InvariantCulture, out var p) ? p : null;
            }

            var (bytes, timedOut) = await ReadToEndAsync(process.StandardOutput.BaseStream, request.Timeout);
            PluginLaunchResult Result(string? message, int? status)
            {
                var elapsed = clock.Elapsed;
                return new PluginLaunchResult(message, bytes, elapsed, timedOut, status, toolPid, string.Empty);
            }

            PluginLaunchResult result;
            if (timedOut)
            {
                result = Result(Messages.Format("plugin.timeout", ("seconds", request.Timeout.TotalSeconds)), null);
            }
            else if (PluginRule.ErrorMessage(bytes, request.Variant) is { } message)
            {
                result = Result(message, null);
            }
            else if (request.Variant != PluginVariant.Today && process.HasExited)
            {
                var status = RawWaitStatus(process.ExitCode);
                result = Result(Messages.Format("plugin.spawn-failed", ("status", status)), status);
            }
            else
            {
                result = Result(null, null);
            }

            if (whileRunning is not null)
            {
                await whileRunning(result);
                if (request.Variant != PluginVariant.Today && await ExitedWithinAsync(process, request.Timeout))
                {
                    result = result with { ExitCode = process.ExitCode };
                }
            }

            await Task.WhenAny(stderrCopy, Task.Delay(StderrGrace));
            return result with { Stderr = System.Text.Encoding.UTF8.GetString(stderr.ToArray()) };
        }
        finally
        {
            if (pidFile is not null)
            {
                File.Delete(pidFile);
            }
        }
    }

    /// <summary>
    /// The wait status as Perl's <c>$?</c> shows it: exit code times 256, or the signal number for
    /// a process killed by a signal. .NET reports a signal death as 128 + signal; the tool itself
    /// only exits with 0, 1 or 255, so 129–159 can be read as signals.
    /// </summary>
    internal static int RawWaitStatus(int exitCode) => exitCode is > 128 and < 160 ? exitCode - 128 : exitCode << 8;

    private static async Task<bool> ExitedWithinAsync(Process process, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<(byte[] Bytes, bool TimedOut)> ReadToEndAsync(Stream pipe, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new MemoryStream();
        var chunk = new byte[4096];
        try
        {
            int n;
            while ((n = await pipe.ReadAsync(chunk, cts.Token)) > 0)
            {
                buffer.Write(chunk, 0, n);
            }

            return (buffer.ToArray(), false);
        }
        catch (OperationCanceledException)
        {
            return (buffer.ToArray(), true);
        }
    }
}
