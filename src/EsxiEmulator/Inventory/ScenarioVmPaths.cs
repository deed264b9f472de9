using System.Text.RegularExpressions;

using EsxiImport.Emulator.Scenarios;

namespace EsxiImport.Emulator.Inventory;

/// <summary>
/// Where a scenario VM's files live, with the scenario's defaults applied: the folder is the VM
/// name, the .vmx is <c>&lt;name&gt;.vmx</c>, the first disk <c>&lt;folder&gt;/&lt;name&gt;.vmdk</c> and
/// later ones <c>&lt;folder&gt;/&lt;name&gt;_&lt;n&gt;.vmdk</c> (ESXi's own numbering). Both the SOAP
/// inventory and the expected manifest use these; a test holds them equal to the /folder tree's
/// <c>VmFileLayout</c>, which cannot describe datastore-less VMs (embedded vCLS) that SOAP must serve.
/// </summary>
public static partial class ScenarioVmPaths
{
    public static string Folder(ScenarioVm vm) => (vm.Folder ?? vm.Name).Trim('/');

    public static string VmxFile(ScenarioVm vm) => vm.VmxFile ?? vm.Name + ".vmx";

    /// <summary>The .vmx path inside its datastore: <c>folder/name.vmx</c>.</summary>
    public static string VmxPath(ScenarioVm vm) => Join(Folder(vm), VmxFile(vm));

    /// <summary>The datastore path as the host prints it: <c>[ds] folder/name.vmx</c>.</summary>
    public static string VmPathName(ScenarioVm vm) => "[" + vm.Datastore + "] " + VmxPath(vm);

    /// <summary>
    /// What sets a VM apart from an earlier one of the same name in its datacenter, for the ids
    /// derived from it (uuids): nothing for the first VM of a name, so those ids stay as they were,
    /// and its <c>[ds] path.vmx</c> for a later one.
    /// </summary>
    public static string Distinction(ScenarioDatacenter datacenter, ScenarioVm vm)
    {
        ArgumentNullException.ThrowIfNull(datacenter);
        ArgumentNullException.ThrowIfNull(vm);
        var first = datacenter.Vms.First(v => string.Equals(v.Name, vm.Name, StringComparison.Ordinal));
        return ReferenceEquals(first, vm) ? "" : "@" + VmPathName(vm);
    }

    public static string DiskDatastore(ScenarioVm vm, ScenarioDisk disk) => disk.Datastore ?? vm.Datastore;

    public static string DiskPath(ScenarioVm vm, int index)
    {
        var disk = vm.Disks[index];
        if (disk.Path is not null)
        {
            return disk.Path.TrimStart('/');
        }

        return Join(Folder(vm), vm.Name + (index == 0 ? "" : "_" + index.ToString(System.Globalization.CultureInfo.InvariantCulture)) + ".vmdk");
    }

    private static string Join(string folder, string name) => folder.Length == 0 ? name : folder + "/" + name;

    /// <summary>Splits a slot such as <c>scsi0:1</c> into bus kind, bus number and unit.</summary>
    public static (string Kind, int Bus, int Unit) ParseSlot(string slot)
    {
        var m = SlotPattern().Match(slot);
        if (!m.Success)
        {
            throw new FormatException($"disk slot '{slot}' is not of the form scsi0:0, sata0:0, nvme0:0 or ide0:0");
        }

        return (m.Groups[1].Value.ToLowerInvariant(), int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Whether extraConfig marks the VM as a vCLS agent (<c>HDCS.agent = true</c>).</summary>
    public static bool IsVclsAgent(ScenarioVm vm) =>
        vm.ExtraConfig.TryGetValue("HDCS.agent", out var v) && v.Equals("true", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"^(scsi|sata|nvme|ide)(\d{1,2}):(\d{1,2})$", RegexOptions.IgnoreCase)]
    private static partial Regex SlotPattern();
}
