using System.Text;

using EsxiImport.Emulator.Datastore;
using EsxiImport.Emulator.Replay;
using EsxiImport.Emulator.Scenarios;
using EsxiImport.TestSupport.Recordings;

namespace EsxiImport.UnitTests.Emulator.Replay;

/// <summary>The host a recording's /folder exchanges describe: names, sizes, kept bodies, types and failures.</summary>
public sealed class ReplayScenarioTests
{
    private const string Vmx = "displayName = \"vm\"\nscsi0:0.fileName = \"vm.vmdk\"\n";

    private static Scenario From(params EsxiImport.FieldReport.Har.HarEntry[] entries) =>
        ReplayScenario.From(Recorded.From(HarEntries.File(entries), "r.har"), "r.har");

    private static byte[] Read(EmulatedDatastores stores, string datastore, string path)
    {
        var file = (DatastoreFile)stores.Find("ha-datacenter", datastore)!.Find(path)!;
        var bytes = new byte[file.Length];
        file.Content.Read(0, bytes);
        return bytes;
    }

    [Fact]
    public void Files_get_their_recorded_size_kept_bodies_and_generated_disk_bytes()
    {
        var scenario = From(
            HarEntries.Folder("GET", "vm/vm.vmx", 200, length: Vmx.Length, text: Vmx),
            HarEntries.Folder("HEAD", "vm/vm-flat.vmdk", 200, length: 4096),
            HarEntries.Folder("GET", "vm/vm-flat.vmdk", 206, length: 100, range: "bytes 0-99/4096"),
            HarEntries.Folder("GET", "vm/gone.vmx", 404, contentType: "text/plain", text: "404 Not Found"),
            HarEntries.Folder("GET", "ISO", 200, contentType: "text/html; charset=utf-8", text: "<html/>"),
            HarEntries.Folder("GET", "other/x.vmdk", 200, text: "# Disk DescriptorFile\n", datastore: "Local SSD (1)"));

        scenario.Users.Single().Password.Should().Be(ReplayScenario.Password);
        scenario.Datacenters.Single().Datastores.Select(d => d.Name).Should().Equal("datastore1", "Local SSD (1)");
        scenario.Faults.Should().BeEmpty("a 404 of a file that is not there is what the scenario answers by itself");

        var stores = EmulatedDatastores.Build(scenario);
        Encoding.UTF8.GetString(Read(stores, "datastore1", "vm/vm.vmx")).Should().Be(Vmx);
        var disk = Read(stores, "datastore1", "vm/vm-flat.vmdk");
        disk.Should().HaveCount(4096, "the size is the Content-Range total, not the bytes of one range");
        disk.Should().Contain(b => b != 0, "disk bytes are generated, since recordings never hold them");
        disk.Should().Equal(Read(EmulatedDatastores.Build(scenario), "datastore1", "vm/vm-flat.vmdk"), "the same bytes every run");
        stores.Find("ha-datacenter", "datastore1")!.Find("vm/gone.vmx").Should().BeNull();
        stores.Find("ha-datacenter", "datastore1")!.Find("ISO").Should().BeOfType<DatastoreFolder>();
        Read(stores, "Local SSD (1)", "other/x.vmdk").Should().Equal(Encoding.UTF8.GetBytes("# Disk DescriptorFile\n"));
    }

    [Fact]
    public void A_body_kept_as_bytes_is_served_as_those_bytes()
    {
        var latin1 = Encoding.Latin1.GetBytes("displayName = \"caf\xe9\"\n");
        var entry = HarEntries.Folder("GET", "vm/vm.vmx", 200, length: latin1.Length, text: "x");
        entry = entry with { Response = entry.Response with { Content = entry.Response.Content with { Text = Convert.ToBase64String(latin1), Encoding = "base64", Size = latin1.Length } } };
        Read(EmulatedDatastores.Build(From(entry)), "datastore1", "vm/vm.vmx").Should().Equal(latin1);
    }

    [Fact]
    public void Content_types_other_than_the_emulators_become_rules_and_failures_keep_their_bodies()
    {
        var scenario = From(
            HarEntries.Folder("GET", "vm/vm.vmx", 200, contentType: "text/plain; charset=utf-8", length: 3, text: "a=1"),
            HarEntries.Folder("GET", "vm/vm.nvram", 200, contentType: null, length: 8),
            HarEntries.Folder("GET", "vm/vm-flat.vmdk", 503, contentType: "text/plain", text: "busy"),
            HarEntries.Folder("GET", "vm/vm-flat.vmdk", 206, length: 10, range: "bytes 0-9/10"));

        scenario.Faults.Select(f => (f.Method, f.Match, f.Trigger, f.Action, f.Body)).Should().Equal(
            ("GET", "vm/vm.vmx", "always", "content-type:text/plain; charset=utf-8", (string?)null),
            ("GET", "vm/vm.nvram", "always", "no-content-type", null),
            ("GET", "vm/vm-flat.vmdk", "skip:0:1", "status:503", "busy"));
    }

    [Fact]
    public void A_datastore_every_request_of_which_failed_stays_absent_and_fails_again()
    {
        var scenario = From(
            HarEntries.Folder("HEAD", "vm/vm.vmx", 200, length: 3),
            HarEntries.Folder("HEAD", "ghost/ghost.vmx", 404, contentType: "text/plain", datastore: "datastore9"),
            HarEntries.Folder("GET", "x", 503, contentType: "text/plain", text: "busy", datastore: "flaky"));

        scenario.Datacenters.Single().Datastores.Select(d => d.Name).Should().Equal("datastore1");
        scenario.Faults.Should().ContainSingle().Which.Action.Should().Be("status:503");
    }
}
