using EsxiImport.Emulator.Inventory;
using EsxiImport.Emulator.Scenarios;
using EsxiImport.VmxParser.Manifest;

namespace EsxiImport.TestSupport.Emulator;

/// <summary>
/// The manifest a correct listing of a scenario produces: every VM except vCLS agents
/// (<c>HDCS.agent = true</c>), VMs without a datastore, VMs whose config cannot be read, and
/// later VMs that repeat a name already listed in the same datacenter. Datastores are those the
/// listed VMs use, with their URLs. Tests compare both listing clients against this.
/// </summary>
public static class ExpectedManifest
{
    public static Manifest From(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var datacenters = new Dictionary<string, ManifestDatacenter>(StringComparer.Ordinal);
        foreach (var dc in scenario.Datacenters)
        {
            var datastores = new Dictionary<string, string>(StringComparer.Ordinal);
            var vms = new Dictionary<string, ManifestVm>(StringComparer.Ordinal);
            foreach (var vm in dc.Vms)
            {
                if (vm.ConfigUnavailable || ScenarioVmPaths.IsVclsAgent(vm) || vm.Datastore.Length == 0 || vms.ContainsKey(vm.Name))
                {
                    continue;
                }

                var disks = vm.Disks.Select((d, i) => new ManifestDisk(ScenarioVmPaths.DiskDatastore(vm, d), ScenarioVmPaths.DiskPath(vm, i), d.CapacityBytes)).ToList();
                var checksum = vm.ConfigChecksum is { } hex ? Convert.ToHexStringLower(Convert.FromHexString(hex)) : "N/A";
                vms[vm.Name] = new ManifestVm(new ManifestConfig(vm.Datastore, ScenarioVmPaths.VmxPath(vm), checksum), disks, vm.PowerState);
                foreach (var name in VmConfigBuilder.DatastoresUsed(vm))
                {
                    if (dc.Datastores.FirstOrDefault(d => d.Name == name) is { } ds)
                    {
                        datastores[ds.Name] = ds.Url;
                    }
                }
            }

            if (vms.Count > 0)
            {
                datacenters[dc.Name] = new ManifestDatacenter(datastores, vms);
            }
        }

        return new Manifest(datacenters);
    }
}
