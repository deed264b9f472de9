using EsxiImport.EsxiFuse.Datastores;
using EsxiImport.VmxParser.Manifest;

namespace EsxiImport.UnitTests.Datastores;

public sealed class LoginCheckTests
{
    [Fact]
    public void Datastores_are_asked_per_datacenter_listed_ones_first_then_those_only_vms_name_each_once()
    {
        static ManifestVm Vm(string ds, params string[] disks) =>
            new(new ManifestConfig(ds, "v/v.vmx", "N/A"), disks.Select(d => new ManifestDisk(d, "v/v.vmdk", 1)).ToList(), "poweredOn");

        var manifest = new Manifest(new Dictionary<string, ManifestDatacenter>
        {
            ["dc1"] = new(
                new Dictionary<string, string> { ["b"] = "/vmfs/volumes/b/", ["a"] = "/vmfs/volumes/a/" },
                new Dictionary<string, ManifestVm> { ["v1"] = Vm("c", "a", "d"), ["v2"] = Vm("b", "d") }),
            ["empty"] = new(new Dictionary<string, string>(), new Dictionary<string, ManifestVm>()),
            ["dc2"] = new(new Dictionary<string, string>(), new Dictionary<string, ManifestVm> { ["v"] = Vm("a") }),
        });

        LoginCheck.Datastores(manifest).Should().Equal(("dc1", "b"), ("dc1", "a"), ("dc1", "c"), ("dc1", "d"), ("dc2", "a"));
        LoginCheck.Datastores(new Manifest(new Dictionary<string, ManifestDatacenter>())).Should().BeEmpty();
    }
}
