using System.Diagnostics;
using System.Text.Json;

namespace EsxiImport.IntegrationTests.Emulator;

/// <summary>The standalone program: ready line, serving, signals and exit codes.</summary>
public sealed class EmulatorCliTests
{
    private static Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "esxi-emulator"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return Process.Start(psi)!;
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunToEndAsync(params string[] args)
    {
        using var p = Start(args);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var stdout = p.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = p.StandardError.ReadToEndAsync(timeout.Token);
            await p.WaitForExitAsync(timeout.Token);
            return (p.ExitCode, await stdout, await stderr);
        }
        finally
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task It_prints_one_json_ready_line_serves_and_exits_0_on_SIGTERM()
    {
        using var p = Start("--scenario", "default", "--fault", "folder:GET:*.nvram:always:status:418");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var line = await p.StandardOutput.ReadLineAsync(timeout.Token);
            using var ready = JsonDocument.Parse(line!);
            var root = ready.RootElement;
            var url = root.GetProperty("url").GetString()!;
            url.Should().MatchRegex("^https://127\\.0\\.0\\.1:[0-9]+/$");
            root.GetProperty("user").GetString().Should().Be("root");
            root.GetProperty("scenario").GetString().Should().Be("default");
            root.GetProperty("fingerprint").GetString().Should().MatchRegex("^([0-9A-F]{2}:){31}[0-9A-F]{2}$");
            var cert = root.GetProperty("certPath").GetString()!;
            File.Exists(cert).Should().BeTrue();

            var auth = "root:" + root.GetProperty("password").GetString();
            var vmx = await Curl.RunAsync("-sS", "--fail", "--cacert", cert, "-u", auth, url + "folder/db01/db01.vmx?dcPath=ha-datacenter&dsName=datastore1");
            vmx.ExitCode.Should().Be(0, vmx.Stderr);
            vmx.Stdout.Should().Contain("displayName = \"db01\"");
            var nvram = await Curl.RunAsync("-sS", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", cert, "-u", auth, url + "folder/db01/db01.nvram?dsName=datastore1");
            nvram.Stdout.Should().Be("418");

            // An h2-only client (ALPN offers only h2, as the Proxmox client does) connects.
            var h2 = await Curl.RunAsync("-sS", "--http2", "-o", "/dev/null", "-w", "%{http_version}", "--cacert", cert, "-u", auth, url + "folder/?dcPath=ha-datacenter");
            h2.Stdout.Should().Be("2");

            Process.Start("kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            await p.WaitForExitAsync(timeout.Token);
            p.ExitCode.Should().Be(0);
            (await p.StandardOutput.ReadToEndAsync(timeout.Token)).Should().BeEmpty("the ready line is the only stdout output");
            File.Exists(cert).Should().BeFalse("the emulator deletes its temp folder");
        }
        finally
        {
            await StopAsync(p);
        }
    }

    [Theory]
    [InlineData(new[] { "--bogus" }, "esxi-emulator: unknown option '--bogus'; usage: esxi-emulator --scenario FILE|default|--replay FILE... [--listen 127.0.0.1:PORT] [--http] [--fault RULE]... [--counters-file FILE] [--request-log FILE] [--host-profile NAME] [--host-limit FIELD=VALUE]... | --recording-to-scenario FILE... --out DIR | -v|--version")]
    [InlineData(new string[0], "esxi-emulator: --scenario or --replay is required; usage: esxi-emulator --scenario FILE|default|--replay FILE... [--listen 127.0.0.1:PORT] [--http] [--fault RULE]... [--counters-file FILE] [--request-log FILE] [--host-profile NAME] [--host-limit FIELD=VALUE]... | --recording-to-scenario FILE... --out DIR | -v|--version")]
    [InlineData(new[] { "--scenario" }, "esxi-emulator: option --scenario needs a value; usage: esxi-emulator --scenario FILE|default|--replay FILE... [--listen 127.0.0.1:PORT] [--http] [--fault RULE]... [--counters-file FILE] [--request-log FILE] [--host-profile NAME] [--host-limit FIELD=VALUE]... | --recording-to-scenario FILE... --out DIR | -v|--version")]
    [InlineData(new[] { "--scenario", "default", "--listen", "nowhere" }, "esxi-emulator: --listen 'nowhere' is not ADDRESS:PORT; usage: esxi-emulator --scenario FILE|default|--replay FILE... [--listen 127.0.0.1:PORT] [--http] [--fault RULE]... [--counters-file FILE] [--request-log FILE] [--host-profile NAME] [--host-limit FIELD=VALUE]... | --recording-to-scenario FILE... --out DIR | -v|--version")]
    [InlineData(new[] { "--scenario", "default", "--fault", "folder:GET:*:never:html" }, "esxi-emulator: fault rule 'folder:GET:*:never:html': unknown trigger 'never' (always, first, skip, after-bytes, probability, in-flight-above)")]
    [InlineData(new[] { "--scenario", "default", "--replay", "r.har" }, "esxi-emulator: --scenario and --replay exclude each other; usage: esxi-emulator --scenario FILE|default|--replay FILE... [--listen 127.0.0.1:PORT] [--http] [--fault RULE]... [--counters-file FILE] [--request-log FILE] [--host-profile NAME] [--host-limit FIELD=VALUE]... | --recording-to-scenario FILE... --out DIR | -v|--version")]
    [InlineData(new[] { "--out", "dir" }, "esxi-emulator: --recording-to-scenario FILE... and --out DIR go together, without --scenario or --replay; usage: esxi-emulator --scenario FILE|default|--replay FILE... [--listen 127.0.0.1:PORT] [--http] [--fault RULE]... [--counters-file FILE] [--request-log FILE] [--host-profile NAME] [--host-limit FIELD=VALUE]... | --recording-to-scenario FILE... --out DIR | -v|--version")]
    [InlineData(new[] { "--replay", "/nonexistent.har" }, "esxi-emulator: cannot read recording /nonexistent.har: Could not find file '/nonexistent.har'.")]
    [InlineData(new[] { "--scenario", "default", "--host-profile", "dial-up" }, "esxi-emulator: --host-profile 'dial-up' is not one of: unlimited, nvme-25gbe, iscsi, throttling, esxi8-connections; usage: esxi-emulator --scenario FILE|default|--replay FILE... [--listen 127.0.0.1:PORT] [--http] [--fault RULE]... [--counters-file FILE] [--request-log FILE] [--host-profile NAME] [--host-limit FIELD=VALUE]... | --recording-to-scenario FILE... --out DIR | -v|--version")]
    [InlineData(new[] { "--scenario", "/nonexistent.yaml" }, "esxi-emulator: scenario /nonexistent.yaml: cannot read the file: Could not find file '/nonexistent.yaml'.")]
    public async Task Bad_arguments_give_one_line_and_exit_2(string[] args, string expected)
    {
        var (code, stdout, stderr) = await RunToEndAsync(args);
        code.Should().Be(2);
        stdout.Should().BeEmpty();
        stderr.Should().Be(expected + "\n");
    }

    [Theory]
    [InlineData("not json", "recording {0} is not a HAR recording: ")]
    [InlineData("{\"log\":{\"version\":\"1.1\",\"creator\":{\"name\":\"x\",\"version\":\"1\"},\"entries\":[]}}", "recording {0} is HAR 1.1; HAR 1.2 is read")]
    [InlineData("{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"x\",\"version\":\"1\"},\"entries\":[]}}", "recording {0} holds no exchange with /sdk or /folder")]
    public async Task A_recording_that_cannot_be_replayed_gives_one_line_naming_it_and_exit_2(string content, string expected)
    {
        var dir = Directory.CreateTempSubdirectory("emulator-cli-test-");
        try
        {
            var file = Path.Combine(dir.FullName, "r.har");
            await File.WriteAllTextAsync(file, content);
            var (code, stdout, stderr) = await RunToEndAsync("--replay", file);
            code.Should().Be(2);
            stdout.Should().BeEmpty();
            stderr.Should().StartWith("esxi-emulator: " + string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, file)).And.EndWith("\n");
            stderr.TrimEnd('\n').Should().NotContain("\n");
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public async Task A_bad_scenario_file_gives_its_one_line_error_and_exit_2()
    {
        var dir = Directory.CreateTempSubdirectory("emulator-cli-test-");
        try
        {
            var file = Path.Combine(dir.FullName, "bad.yaml");
            await File.WriteAllTextAsync(file, "datacenters:\n  - datastores:\n      - name: ds\n    vms:\n      - name: vm\n        datastore: ds2\n");
            var (code, _, stderr) = await RunToEndAsync("--scenario", file);
            code.Should().Be(2);
            stderr.Should().Be($"esxi-emulator: scenario {file} line 6, field datacenters[0].vms[0].datastore: unknown datastore 'ds2'\n");
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public async Task Plain_http_and_a_fixed_port_are_honoured()
    {
        var port = FreePort();
        using var p = Start("--scenario", "default", "--http", "--listen", $"127.0.0.1:{port}");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            using var ready = JsonDocument.Parse((await p.StandardOutput.ReadLineAsync(timeout.Token))!);
            ready.RootElement.GetProperty("url").GetString().Should().Be($"http://127.0.0.1:{port}/");
            ready.RootElement.GetProperty("fingerprint").ValueKind.Should().Be(JsonValueKind.Null);
            var r = await Curl.RunAsync("-sS", "-o", "/dev/null", "-w", "%{http_code}", $"http://127.0.0.1:{port}/folder/");
            r.Stdout.Should().Be("401");
        }
        finally
        {
            await StopAsync(p);
        }
    }

    /// <summary>SIGTERM, so the emulator deletes its temp folder; SIGKILL only if it does not exit.</summary>
    private static async Task StopAsync(Process p)
    {
        if (p.HasExited)
        {
            return;
        }

        Process.Start("kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await p.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
        }
    }

    private static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }
}
