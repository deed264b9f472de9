using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

using EsxiImport.IntegrationTests.Fuse;

namespace EsxiImport.IntegrationTests.Replay;

/// <summary>The standalone <c>esxi-emulator</c> as a child process, read from its ready line; stopped with SIGTERM.</summary>
public sealed record EmulatorProcess(Process Process, Uri Url, string User, string Password)
{
    public static readonly string Program = Path.Combine(AppContext.BaseDirectory, "esxi-emulator");

    public int Port => Url.Port;

    public string PortText => Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>Starts the emulator (through <paramref name="runner"/>, which kills it if the test fails) and waits for its ready line.</summary>
    public static async Task<EmulatorProcess> StartAsync(ProcessRunner runner, params string[] args)
    {
        var process = runner.Start(Program, args);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        if (line is null)
        {
            throw new InvalidOperationException("esxi-emulator " + string.Join(' ', args) + " did not start: " + await process.StandardError.ReadToEndAsync(timeout.Token));
        }

        using var ready = JsonDocument.Parse(line);
        var root = ready.RootElement;
        return new EmulatorProcess(process, new Uri(root.GetProperty("url").GetString()!), root.GetProperty("user").GetString()!, root.GetProperty("password").GetString()!);
    }

    /// <summary>SIGTERM, then the exit (0 for a clean stop).</summary>
    public async Task<int> StopAsync()
    {
        Process.Start("kill", ["-TERM", Process.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Process.WaitForExitAsync(timeout.Token);
        return Process.ExitCode;
    }
}
