using EsxiImport.Emulator.Http;
using EsxiImport.Emulator.Replay;
using EsxiImport.Emulator.Scenarios;
using EsxiImport.FieldReport.Har;
using EsxiImport.Listing.Cli;
using EsxiImport.TestSupport.Recordings;

namespace EsxiImport.IntegrationTests.Replay;

/// <summary>
/// A recording turned into a scenario file in process: the inventory rebuilt from the SOAP
/// answers lists as the recorded host did, a recorded .vmx becomes the VM's vmxContent, and the
/// file passes the scenario loader.
/// </summary>
public sealed class RecordingConversionTests
{
    private static async Task<(int Exit, string Stdout, string Stderr)> ListAsync(EmulatorHost host, string passwordFile, params string[] extra)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await ListVmsCommand.RunAsync(
            [.. extra, "--skip-cert-verification", "--port", host.BaseUri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "127.0.0.1", host.User.Name, passwordFile], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task The_scenario_made_from_a_recording_lists_as_the_recorded_host_and_keeps_the_recorded_vmx()
    {
        using var dir = new TempDir("conversion-");
        var har = Path.Combine(dir.Path, "listing.har");
        var password = Path.Combine(dir.Path, "pw");
        (int Exit, string Stdout, string Stderr) original;
        await using (var host = await EmulatorHost.StartAsync(ScenarioLoader.Load(ReplayListingTests.WriteScenario(dir))))
        {
            await File.WriteAllTextAsync(password, host.User.Password);
            original = await ListAsync(host, password, "--record", har);
        }

        original.Exit.Should().Be(0, original.Stderr);
        const string Vmx = "displayName = \"alpha\"\nguestOS = \"other\"\n";
        var vmxFile = Path.Combine(dir.Path, "vmx.har");
        HarDocument.Save(HarEntries.File(HarEntries.Folder("GET", "alpha/alpha.vmx", 200, length: Vmx.Length, text: Vmx)), vmxFile);

        var written = RecordingConversion.Write(Recorded.Load([har, vmxFile]), [har, vmxFile], Path.Combine(dir.Path, "case"));
        var scenario = ScenarioLoader.Load(written[0]);
        var alphas = scenario.Datacenters.Single().Vms.Where(v => v.Name == "alpha").ToList();
        alphas.Select(v => v.Folder).Should().Equal(["alpha", "alpha_1"], "two VMs of one name come back as two, each in its folder");
        var alpha = alphas[0];
        alpha.VmxContent.Should().Be(Vmx);
        alpha.Disks.Select(d => (d.Slot, d.Datastore, d.Path, d.CapacityBytes)).Should().Equal(("scsi0:0", "datastore1", "alpha/alpha.vmdk", 2L << 20), ("scsi0:1", "Local SSD (1)", "alpha/alpha_1.vmdk", 1L << 20));
        scenario.Datacenters.Single().Vms.Single(v => v.Name == "unreadable").ConfigUnavailable.Should().BeTrue();
        scenario.Datacenters.Single().Datastores.SelectMany(d => d.Files).Should().BeEmpty("the recorded .vmx is the VM's own file, not an extra one");
        scenario.Users.Single().Password.Should().Be(ReplayScenario.Password);

        await using var rebuilt = await EmulatorHost.StartAsync(scenario);
        await File.WriteAllTextAsync(password, rebuilt.User.Password);
        var relisted = await ListAsync(rebuilt, password);
        relisted.Should().Be(original);
    }
}
