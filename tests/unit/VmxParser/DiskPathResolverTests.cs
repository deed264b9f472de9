using EsxiImport.VmxParser.Manifest;
using EsxiImport.VmxParser.Model;
using EsxiImport.VmxParser.Paths;

using ManifestModel = EsxiImport.VmxParser.Manifest.Manifest;

namespace EsxiImport.UnitTests.VmxParser;

public sealed class DiskPathResolverTests
{
    private static readonly DatastoreLocation Vmx = new("dc1", "ds1", "vm/vm.vmx");

    private static DiskPathResolver Resolver() => new(new ManifestModel(new Dictionary<string, ManifestDatacenter>
    {
        ["dc1"] = new(
            new Dictionary<string, string>
            {
                ["ds1"] = "/vmfs/volumes/aaaa-1111/",
                ["ds2"] = "/vmfs/volumes/bbbb-2222",
                ["shared"] = "/vmfs/volumes/cccc-3333/",
            },
            new Dictionary<string, ManifestVm>()),
        ["dc2"] = new(
            new Dictionary<string, string>
            {
                ["shared"] = "/vmfs/volumes/dddd-4444/",
                ["only-dc2"] = "ds:///vmfs/volumes/eeee-5555/",
            },
            new Dictionary<string, ManifestVm>()),
    }));

    [Theory]
    [InlineData("vm.vmdk", "dc1/ds1/vm/vm.vmdk")]
    [InlineData("./sub/../vm_1.vmdk", "dc1/ds1/vm/vm_1.vmdk")]
    [InlineData("../other/x.vmdk", "dc1/ds1/other/x.vmdk")]
    [InlineData("/vmfs/volumes/bbbb-2222/vm/x.vmdk", "dc1/ds2/vm/x.vmdk")]
    [InlineData("/vmfs/volumes/BBBB-2222//vm/./x.vmdk", "dc1/ds2/vm/x.vmdk")]
    [InlineData("/vmfs/volumes/ds2/vm/x.vmdk", "dc1/ds2/vm/x.vmdk")]
    [InlineData("/vmfs/volumes/shared/x.vmdk", "dc1/shared/x.vmdk")]
    [InlineData("/vmfs/volumes/eeee-5555/x.vmdk", "dc2/only-dc2/x.vmdk")]
    [InlineData("/vmfs/volumes/only-dc2/x.vmdk", "dc2/only-dc2/x.vmdk")]
    [InlineData("[ds2] a/b.vmdk", "dc1/ds2/a/b.vmdk")]
    [InlineData("[only-dc2] a/b.vmdk", "dc2/only-dc2/a/b.vmdk")]
    public void Resolves_relative_uuid_name_and_bracket_forms(string fileName, string expected)
    {
        Resolver().Resolve(fileName, Vmx, "scsi0:0", out var warning)!.ToString().Should().Be(expected);
        warning.Should().BeNull();
    }

    [Theory]
    [InlineData("/vmfs/volumes/nope/x.vmdk")]
    [InlineData("/vmfs/volumes/ds2")]
    [InlineData("/vmfs/volumes/")]
    [InlineData("/vmfs/devices/disks/naa.1")]
    [InlineData("/tmp/x.vmdk")]
    [InlineData("/../x.vmdk")]
    [InlineData("../../x.vmdk")]
    [InlineData("[nope] x.vmdk")]
    [InlineData("[ds2] ../../x.vmdk")]
    public void Unresolvable_paths_give_a_warning_naming_the_disk(string fileName)
    {
        Resolver().Resolve(fileName, Vmx, "sata0:3", out var warning).Should().BeNull();
        warning!.MessageId.Should().Be("vmx.paths.unresolvable-disk");
        warning.Text.Should().Contain("sata0:3").And.Contain(fileName);
    }

    [Fact]
    public void Vmx_at_the_datastore_root_resolves_relative_names()
    {
        Resolver().Resolve("x.vmdk", new DatastoreLocation("dc1", "ds1", "root.vmx"), "d", out _)!.Path.Should().Be("x.vmdk");
    }

    [Theory]
    [InlineData("/vmfs/volumes/abc/", "abc")]
    [InlineData("/vmfs/volumes/abc", "abc")]
    [InlineData("ds:///vmfs/volumes/abc/", "abc")]
    [InlineData("nfs://server/export/", "export")]
    public void Volume_id_of_a_datastore_url(string url, string expected) => DiskPathResolver.VolumeIdOf(url).Should().Be(expected);

    [Fact]
    public void Resolving_all_disks_reports_every_disk_resolved_or_not()
    {
        var config = VmConfig.Parse(
            "scsi0:0.present = \"TRUE\"\nscsi0:0.fileName = \"vm.vmdk\"\n" +
            "scsi0:1.present = \"TRUE\"\nscsi0:1.fileName = \"/vmfs/volumes/gone/x.vmdk\"\n" +
            "scsi0:2.present = \"TRUE\"\n" +
            "sata0:0.present = \"TRUE\"\nsata0:0.deviceType = \"cdrom-image\"\nsata0:0.fileName = \"/iso/x.iso\"\n");
        var disks = Resolver().ResolveDisks(config, Vmx, out var warnings);
        disks.Select(d => (d.Slot.Name, d.Location?.ToString())).Should().Equal(
            ("scsi0:0", "dc1/ds1/vm/vm.vmdk"),
            ("scsi0:1", null),
            ("scsi0:2", null));
        warnings.Select(w => w.MessageId).Should().Equal("vmx.paths.unresolvable-disk", "vmx.paths.disk-without-file");
    }
}
