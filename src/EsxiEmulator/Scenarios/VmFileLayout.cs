
namespace EsxiImport.Emulator.Scenarios;

/// <summary>Where one disk of a VM lives and how the .vmx names it.</summary>
/// <param name="Disk">The scenario disk.</param>
/// <param name="Datastore">The datastore holding the descriptor and its extent.</param>
/// <param name="DescriptorPath">Path of <c>&lt;name&gt;.vmdk</c> relative to the datastore root.</param>
/// <param name="FlatPath">Path of the <c>&lt;name&gt;-flat.vmdk</c> extent, next to the descriptor.</param>
/// <param name="VmxFileName">The value of <c>&lt;slot&gt;.fileName</c> in the .vmx.</param>
public sealed record DiskLayout(ScenarioDisk Disk, ScenarioDatastore Datastore, string DescriptorPath, string FlatPath, string VmxFileName)
{
    /// <summary>The datastore path as the SOAP API writes it: <c>[datastore] folder/name.vmdk</c>.</summary>
    public string DatastorePath => "[" + Datastore.Name + "] " + DescriptorPath;
}

/// <summary>
/// The file names a VM's scenario entry implies (folder, .vmx, .nvram, disks). The /folder tree
/// and the SOAP inventory both derive paths from here, so they cannot disagree.
/// </summary>
public sealed record VmFileLayout(ScenarioVm Vm, ScenarioDatastore Datastore, string Folder, string VmxPath, string NvramPath, IReadOnlyList<DiskLayout> Disks)
{
    /// <summary>The .vmx as the SOAP API names it: <c>[datastore] folder/name.vmx</c>.</summary>
    public string VmxDatastorePath => "[" + Datastore.Name + "] " + VmxPath;

    /// <summary>Computes the layout; <paramref name="datacenter"/> resolves datastore names.</summary>
    public static VmFileLayout For(ScenarioDatacenter datacenter, ScenarioVm vm)
    {
        ArgumentNullException.ThrowIfNull(datacenter);
        ArgumentNullException.ThrowIfNull(vm);
        var home = FindDatastore(datacenter, vm.Datastore);
        var folder = (vm.Folder ?? vm.Name).Trim('/');
        var vmxPath = Join(folder, vm.VmxFile ?? vm.Name + ".vmx");
        var nvramPath = Join(folder, vm.Name + ".nvram");
        var disks = new List<DiskLayout>(vm.Disks.Count);
        for (var i = 0; i < vm.Disks.Count; i++)
        {
            var disk = vm.Disks[i];
            var ds = disk.Datastore is null ? home : FindDatastore(datacenter, disk.Datastore);
            var descriptor = disk.Path?.TrimStart('/') ?? Join(folder, i == 0 ? vm.Name + ".vmdk" : $"{vm.Name}_{i}.vmdk");
            var flat = FlatPathOf(descriptor);
            disks.Add(new DiskLayout(disk, ds, descriptor, flat, VmxNameOf(disk, ds, home, folder, descriptor)));
        }

        return new VmFileLayout(vm, home, folder, vmxPath, nvramPath, disks);
    }

    /// <summary><c>dir/name.vmdk</c> → <c>dir/name-flat.vmdk</c>.</summary>
    public static string FlatPathOf(string descriptorPath) =>
        (descriptorPath.EndsWith(".vmdk", StringComparison.OrdinalIgnoreCase) ? descriptorPath[..^5] : descriptorPath) + "-flat.vmdk";

    private static string VmxNameOf(ScenarioDisk disk, ScenarioDatastore ds, ScenarioDatastore home, string folder, string descriptor)
    {
        var style = disk.VmxPathStyle;

        // A relative name can only reach files in the VM's own folder on its own datastore.
        var inVmFolder = ReferenceEquals(ds, home) && descriptor.StartsWith(folder + "/", StringComparison.Ordinal)
            && descriptor.IndexOf('/', folder.Length + 1) < 0;
        if (style == "relative" && inVmFolder)
        {
            return descriptor[(folder.Length + 1)..];
        }

        return style == "name"
            ? "/vmfs/volumes/" + ds.Name + "/" + descriptor
            : "/vmfs/volumes/" + ds.Uuid + "/" + descriptor;
    }

    private static ScenarioDatastore FindDatastore(ScenarioDatacenter dc, string name) =>
        dc.Datastores.FirstOrDefault(d => d.Name == name)
        ?? throw new InvalidOperationException("the scenario loader lets no unknown datastore through: " + name);

    private static string Join(string folder, string name) => folder.Length == 0 ? name : folder + "/" + name;
}
