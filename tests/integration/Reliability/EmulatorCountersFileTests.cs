using System.Diagnostics;
using System.Text.Json;

namespace EsxiImport.IntegrationTests.Reliability;

/// <summary><c>esxi-emulator --counters-file</c>: the benchmark counts a client's requests with it.</summary>
public sealed class EmulatorCountersFileTests
{
    [Fact]
    public async Task The_counters_are_written_as_json_at_shutdown()
    {
        var dir = Directory.CreateTempSubdirectory("esxi-counters-").FullName;
        var file = Path.Combine(dir, "counters.json");
        var psi = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "esxi-emulator"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--scenario", "default", "--http", "--counters-file", file })
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            using var ready = JsonDocument.Parse((await p.StandardOutput.ReadLineAsync(timeout.Token))!);
            var url = ready.RootElement.GetProperty("url").GetString()!;
            using var http = new HttpClient();
            (await http.GetAsync(new Uri(url + "folder/?dcPath=ha-datacenter&dsName=datastore1"), timeout.Token)).StatusCode
                .Should().Be(System.Net.HttpStatusCode.Unauthorized);

            using (var kill = Process.Start("kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(timeout.Token);
            }

            await p.WaitForExitAsync(timeout.Token);
            p.ExitCode.Should().Be(0);
            using var counters = JsonDocument.Parse(File.ReadAllText(file));
            counters.RootElement.GetProperty("folderRequests").GetInt64().Should().Be(1);
            counters.RootElement.GetProperty("authFailures").GetInt64().Should().Be(1);
            counters.RootElement.GetProperty("sdkRequests").GetInt64().Should().Be(0);
        }
        finally
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
            }

            Directory.Delete(dir, recursive: true);
        }
    }
}
