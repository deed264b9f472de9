using System.Globalization;
using System.Net;
using System.Net.Sockets;

using EsxiImport.Diagnostics;
using EsxiImport.Emulator.Inventory;
using EsxiImport.Emulator.Scenarios;
using EsxiImport.Listing.Cli;
using EsxiImport.Listing.Soap;
using EsxiImport.TestSupport.Emulator;
using EsxiImport.VmxParser.Manifest;

namespace EsxiImport.IntegrationTests.Listing;

/// <summary>esxi-listvms end to end against the emulator: the JSON, the notices, and every error message.</summary>
public sealed class ListVmsCommandTests
{
    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await ListVmsCommand.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static string Port(SdkTestHost host) => host.Port.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_default_scenario_lists_as_expected_and_as_pyvmomi_does()
    {
        var scenario = ScenarioLoader.LoadDefault();
        await using var host = await SdkTestHost.StartAsync(scenario);
        using var password = new TempFile(scenario.Users[0].Password);

        var (exit, stdout, stderr) = await RunAsync("--skip-cert-verification", "--port", Port(host), "127.0.0.1", "root", password.Path);
        exit.Should().Be(0, stderr);
        var expected = ManifestJson.Serialize(ExpectedManifest.From(scenario));
        stdout.Should().Be(expected, "VMs and datastores keep the host's order");
        stderr.Should().Contain("Skipping vCLS agent VM: vCLS-4c4c4544-0042");

        var walk = await PyvmomiWalkTests.RunWalkAsync(host.Port, password.Path);
        walk.Exit.Should().Be(0, walk.Stderr);
        JsonKeys.Sorted(stdout).Should().Be(walk.Stdout);
        walk.Stderr.Should().Be(stderr);
    }

    [Fact]
    public async Task A_recording_holds_every_call_without_the_password_and_with_redact_without_the_names()
    {
        var scenario = ScenarioLoader.LoadDefault();
        await using var host = await SdkTestHost.StartAsync(scenario);
        using var password = new TempFile(scenario.Users[0].Password);
        var plain = Path.Combine(Path.GetTempPath(), "listvms-" + Guid.NewGuid() + ".har");
        var redacted = plain + ".redacted";
        try
        {
            var (exit, stdout, stderr) = await RunAsync("--record", plain, "--skip-cert-verification", "--port", Port(host), "127.0.0.1", "root", password.Path);
            exit.Should().Be(0, stderr);
            var recording = EsxiImport.FieldReport.Har.HarDocument.Load(plain);
            recording.Log.Entries.Should().HaveCountGreaterThan(4);
            var text = await File.ReadAllTextAsync(plain);
            text.Should().NotContain(scenario.Users[0].Password).And.Contain(scenario.Datacenters[0].Vms[0].Name);

            (exit, var redactedOut, stderr) = await RunAsync("--record", redacted, "--redact", "--skip-cert-verification", "--port", Port(host), "127.0.0.1", "root", password.Path);
            exit.Should().Be(0, stderr);
            redactedOut.Should().Be(stdout, "recording changes nothing the tool prints");
            text = await File.ReadAllTextAsync(redacted);
            text.Should().NotContain(scenario.Users[0].Password);
            foreach (var vm in scenario.Datacenters.SelectMany(d => d.Vms))
            {
                text.Should().NotContain("<val>" + vm.Name + "</val>");
            }
        }
        finally
        {
            File.Delete(plain);
            File.Delete(redacted);
        }
    }

    [Fact]
    public async Task Wrong_credentials_print_the_upstream_line_and_nothing_on_stdout()
    {
        await using var host = await SdkTestHost.StartAsync(ListingScenarios.Standard());
        using var password = new TempFile("wrong\n");
        var (exit, stdout, stderr) = await RunAsync("--skip-cert-verification", "--port", Port(host), "127.0.0.1", "root", password.Path);
        exit.Should().Be(1);
        stdout.Should().BeEmpty();
        stderr.Should().Be("failed to login due to an incorrect username or password\n");
    }

    [Fact]
    public async Task An_untrusted_certificate_is_refused_unless_verification_is_skipped()
    {
        await using var host = await SdkTestHost.StartAsync(ListingScenarios.Standard());
        using var password = new TempFile(ListingScenarios.Password);
        var (exit, stdout, stderr) = await RunAsync("--port", Port(host), "127.0.0.1", "root", password.Path);
        exit.Should().Be(1);
        stdout.Should().BeEmpty();
        stderr.Should().Be("Failed to verify certificate - add the CA of your ESXi to the system trust store or skip verification\n");
        host.Sessions.Count.Should().Be(0, "nothing was sent before the certificate was checked");
    }

    [Fact]
    public async Task A_missing_password_file_is_named_and_no_connection_is_made()
    {
        var (exit, stdout, stderr) = await RunAsync("--port", "1", "127.0.0.1", "root", "/nonexistent/dir/storage.pw");
        exit.Should().Be(1);
        stdout.Should().BeEmpty();
        stderr.Should().Be("failed to find password file /nonexistent/dir/storage.pw\n");
    }

    [Theory]
    [InlineData("s3cret")]
    [InlineData("s3cret\n")]
    [InlineData("s3cret\r\n")]
    public async Task Password_files_with_one_trailing_newline_log_in(string content)
    {
        await using var host = await SdkTestHost.StartAsync(ListingScenarios.Standard());
        using var password = new TempFile(content);
        var (exit, _, stderr) = await RunAsync("--skip-cert-verification", "--port", Port(host), "127.0.0.1", "root", password.Path);
        exit.Should().Be(0, stderr);
    }

    [Fact]
    public async Task Two_trailing_newlines_are_part_of_the_password()
    {
        await using var host = await SdkTestHost.StartAsync(ListingScenarios.Standard());
        using var password = new TempFile("s3cret\n\n");
        var (exit, _, stderr) = await RunAsync("--skip-cert-verification", "--port", Port(host), "127.0.0.1", "root", password.Path);
        exit.Should().Be(1);
        stderr.Should().Be("failed to login due to an incorrect username or password\n");
    }

    [Fact]
    public async Task A_closed_port_is_a_one_line_connection_failure()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var password = new TempFile("x");
        var (exit, stdout, stderr) = await RunAsync("--port", port.ToString(CultureInfo.InvariantCulture), "127.0.0.1", "root", password.Path);
        exit.Should().Be(1);
        stdout.Should().BeEmpty();
        stderr.Should().StartWith("failed to connect: ").And.Contain("refused").And.EndWith("\n");
        stderr.TrimEnd('\n').Should().NotContain("\n");
    }

    [Fact]
    public async Task A_server_without_the_SOAP_api_is_not_a_VIM_server()
    {
        await using var host = await EmulatorWithoutSdk.StartAsync();
        using var password = new TempFile("x");
        var (exit, _, stderr) = await RunAsync("--skip-cert-verification", "--port", host.BaseUri.Port.ToString(CultureInfo.InvariantCulture), "127.0.0.1", "root", password.Path);
        exit.Should().Be(1);
        stderr.Should().Be($"127.0.0.1:{host.BaseUri.Port} is not a VIM server\n");
    }

    [Theory]
    [InlineData("sdk:POST:RetrieveServiceContent:always:delay:5000")]
    [InlineData("sdk:POST:RetrieveServiceContent:always:trickle:100")]
    public async Task A_black_holed_or_trickling_request_times_out_in_bounded_time(string rule)
    {
        await using var host = await SdkTestHost.StartAsync(ListingScenarios.Standard(), faults: [rule]);
        var options = new VimClientOptions("127.0.0.1", host.Port) { SkipCertificateVerification = true, RequestTimeout = TimeSpan.FromMilliseconds(500) };
        var started = System.Diagnostics.Stopwatch.StartNew();
        var act = () => ListVmsCommand.ListAsync(options, "root", ListingScenarios.Password);
        var error = (await act.Should().ThrowAsync<ToolError>()).Which;
        error.Kind.Should().Be(ErrorKind.Timeout);
        error.Message.Should().Be($"failed to connect: no complete answer from https://127.0.0.1:{host.Port}/sdk within 0.5 s");
        started.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task Paging_uses_continuation_calls_and_few_round_trips()
    {
        await using var host = await SdkTestHost.StartAsync(ListingScenarios.Large(250));
        var options = new VimClientOptions("127.0.0.1", host.Port) { SkipCertificateVerification = true };
        VimSoapClient? seen = null;
        var result = await ListVmsCommand.ListAsync(options, "root", ListingScenarios.Password, inspect: c => seen = c, pageSize: 100);
        result.Manifest.Datacenters["ha-datacenter"].Vms.Should().HaveCount(250);
        result.Notices.Should().BeEmpty();
        // versions, RetrieveServiceContent, Login, CreateContainerView, RetrievePropertiesEx + 2 continuations
        // (250 VMs + their folder + datacenter = 252 objects in pages of 100), DestroyView, Logout.
        seen!.RoundTrips.Should().Be(9);
        host.Sdk.PendingResultCount.Should().Be(0);
    }

    [Theory]
    [InlineData("sdk:POST:RetrievePropertiesEx:always:status:503", "unexpected HTTP status 503 from https://127.0.0.1:{port}/sdk")]
    [InlineData("sdk:POST:RetrievePropertiesEx:always:soap-fault:NotAuthenticated", "RetrievePropertiesEx failed: NotAuthenticated: Injected fault: NotAuthenticated")]
    [InlineData("sdk:POST:Login:always:truncate", "the response from https://127.0.0.1:{port}/sdk ended early: ")]
    [InlineData("sdk:POST:RetrievePropertiesEx:always:html", "the response from https://127.0.0.1:{port}/sdk is not a vim25 SOAP reply")]
    [InlineData("sdk:POST:CreateContainerView:always:reset-before", "failed to connect: ")]
    public async Task Server_failures_during_the_listing_are_one_line_and_exit_1(string rule, string message)
    {
        await using var host = await SdkTestHost.StartAsync(ListingScenarios.Standard(), faults: [rule]);
        using var password = new TempFile(ListingScenarios.Password);
        var (exit, stdout, stderr) = await RunAsync("--skip-cert-verification", "--port", Port(host), "127.0.0.1", "root", password.Path);
        exit.Should().Be(1);
        stdout.Should().BeEmpty();
        stderr.Should().StartWith(message.Replace("{port}", Port(host), StringComparison.Ordinal)).And.EndWith("\n");
        stderr.TrimEnd('\n').Should().NotContain("\n");
    }

    [Theory]
    [InlineData(new string[] { }, "the following arguments are required: hostname, username, password_file")]
    [InlineData(new[] { "--port", "x", "h", "u", "p" }, "argument --port: invalid int value: 'x'")]
    [InlineData(new[] { "--port=70000", "h", "u", "p" }, "argument --port: invalid port number: '70000' (1 to 65535)")]
    [InlineData(new[] { "--verbose", "h", "u", "p" }, "unrecognized arguments: --verbose")]
    public async Task Bad_arguments_print_the_usage_and_one_error_line_and_exit_2(string[] args, string message)
    {
        var (exit, stdout, stderr) = await RunAsync(args);
        exit.Should().Be(2);
        stdout.Should().BeEmpty();
        stderr.Should().Be(
            "usage: esxi-listvms [-h] [-v] [--skip-cert-verification] [--port PORT]\n"
            + "                    [--record FILE] [--redact]\n"
            + "                    hostname username password_file\n"
            + "esxi-listvms: error: " + message + "\n");
    }

    [Fact]
    public async Task Help_and_version_go_to_stdout_and_exit_0()
    {
        var (exit, stdout, stderr) = await RunAsync("--help");
        (exit, stderr).Should().Be((0, string.Empty));
        stdout.Should().StartWith("usage: esxi-listvms [-h]").And.Contain("\npositional arguments:\n").And.EndWith("the recording with placeholders\n");
        (exit, stdout, stderr) = await RunAsync("-v");
        (exit, stdout, stderr).Should().Be((0, ProgramVersion.Text + "\n", string.Empty));
    }
}

/// <summary>An emulator whose /sdk is absent (404), as when a non-vSphere HTTPS service answers.</summary>
internal static class EmulatorWithoutSdk
{
    public static Task<EsxiImport.Emulator.Http.EmulatorHost> StartAsync() =>
        EsxiImport.Emulator.Http.EmulatorHost.StartAsync(ListingScenarios.Standard(), new EsxiImport.Emulator.Http.EmulatorOptions { SdkHandlerFactory = (_, _) => null });
}
