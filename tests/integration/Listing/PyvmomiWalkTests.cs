using EsxiImport.Emulator.Inventory;
using EsxiImport.IntegrationTests.Support;
using EsxiImport.Listing.Cli;
using EsxiImport.TestSupport.Emulator;
using EsxiImport.VmxParser.Manifest;

namespace EsxiImport.IntegrationTests.Listing;

/// <summary>
/// Debian's pyvmomi 6.7.1 (what Proxmox VE ships) walks the emulated host the way the upstream
/// listing tool does; its JSON must equal the scenario's expected manifest and, byte for byte
/// after key sorting, the JSON of our own esxi-listvms.
/// </summary>
public sealed class PyvmomiWalkTests
{
    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "Listing", "listvms_walk.py");

    internal static async Task<(int Exit, string Stdout, string Stderr)> RunWalkAsync(int port, string passwordFile, params string[] extra)
    {
        var (exit, stdout, stderr) = await ChildProcess.RunAsync(
            "/usr/bin/python3",
            [Script, .. extra, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "127.0.0.1", "root", passwordFile],
            environment: new Dictionary<string, string> { ["PYTHONIOENCODING"] = "utf-8" });
        return (exit, System.Text.Encoding.UTF8.GetString(stdout), stderr);
    }

    [Fact]
    public async Task Pyvmomi_walk_equals_the_expected_manifest_and_our_listing()
    {
        var scenario = ListingScenarios.Standard();
        await using var host = await SdkTestHost.StartAsync(scenario);
        using var password = new TempFile(ListingScenarios.Password + "\n");

        var (exit, stdout, stderr) = await RunWalkAsync(host.Port, password.Path);
        exit.Should().Be(0, stderr);
        stderr.Should().Be(
            "Skipping vCLS agent VM: vCLS-1\n" +
            "Skipping diskless VM: vCLS-embedded\n" +
            "Failed to get info for VM orphaned: the VM's configuration cannot be read\n" +
            "Duplicate VM name two disks in datacenter ha-datacenter: keeping the first one\n");
        stdout.Should().Contain("\"Ünïcødé [x] & co\": {").And.Contain("\"ssd [fast] ü\": \"/vmfs/volumes/65a0b1c2-d3e4f5a6-0718-000c29ddeeff/\"")
            .And.Contain("\"path\": \"odd folder/sub/Ünïcødé [x] & co.vmx\"").And.Contain("\"checksum\": \"00010203040506070809a0b0c0d0e0f0ff\"")
            .And.Contain("\"power\": \"suspended\"").And.NotContain("unused");

        var expected = JsonKeys.Sorted(ManifestJson.Serialize(ExpectedManifest.From(scenario)));
        stdout.Should().Be(expected);

        var ours = new StringWriter();
        var ourErrors = new StringWriter();
        var code = await ListVmsCommand.RunAsync(["--skip-cert-verification", "--port", host.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "127.0.0.1", "root", password.Path], ours, ourErrors);
        code.Should().Be(0, ourErrors.ToString());
        JsonKeys.Sorted(ours.ToString()).Should().Be(stdout, "our JSON must equal pyvmomi's byte for byte after key sorting");
        ourErrors.ToString().Should().Be(stderr, "both print the same notices in the same order");
        host.Sdk.ViewCount.Should().Be(0, "both clients destroy their view");
        host.Sessions.Count.Should().Be(0, "both clients log out");
    }

    [Fact]
    public async Task Pyvmomi_reports_wrong_credentials_with_the_upstream_text()
    {
        await using var host = await SdkTestHost.StartAsync(ListingScenarios.Standard());
        using var password = new TempFile("wrong");
        var (exit, stdout, stderr) = await RunWalkAsync(host.Port, password.Path);
        exit.Should().Be(1);
        stdout.Should().BeEmpty();
        stderr.Should().Be("failed to login due to an incorrect username or password\n");
    }
}

/// <summary>A temporary file deleted on dispose.</summary>
internal sealed class TempFile : IDisposable
{
    public TempFile(string content)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "esxi-listing-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(Path, content);
    }

    public string Path { get; }

    public void Dispose() => File.Delete(Path);
}
