using System.Diagnostics;

namespace EsxiImport.IntegrationTests.Emulator;

/// <summary>Runs /usr/bin/curl with a timeout and returns its output; the process is always reaped.</summary>
public static class Curl
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr, byte[] StdoutBytes);

    public static async Task<Result> RunAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("/usr/bin/curl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            using var stdout = new MemoryStream();
            var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout, timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            await copy;
            var bytes = stdout.ToArray();
            return new Result(process.ExitCode, System.Text.Encoding.UTF8.GetString(bytes), await stderr, bytes);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
