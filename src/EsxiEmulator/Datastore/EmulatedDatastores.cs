using System.Text;

using EsxiImport.Emulator.Scenarios;

namespace EsxiImport.Emulator.Datastore;

/// <summary>
/// Every datastore file tree of a scenario, keyed by datacenter and datastore name: VM folders
/// with the .vmx, .nvram, disk descriptors and flat extents, plus the scenario's extra files.
/// Built once at start; content is generated when read.
/// </summary>
public sealed class EmulatedDatastores
{
    private readonly Dictionary<string, Dictionary<string, DatastoreTree>> _byDatacenter = new(StringComparer.Ordinal);

    private EmulatedDatastores(Scenario scenario) => Scenario = scenario;

    public Scenario Scenario { get; }

    /// <summary>The datacenter served when a request names none (the first one, <c>ha-datacenter</c> on a standalone host).</summary>
    public string DefaultDatacenter => Scenario.Datacenters.Count > 0 ? Scenario.Datacenters[0].Name : "ha-datacenter";

    public IEnumerable<string> Datacenters => Scenario.Datacenters.Select(d => d.Name);

    /// <summary>Datastore names of a datacenter; null when the datacenter is unknown.</summary>
    public IEnumerable<string>? DatastoresOf(string datacenter) =>
        _byDatacenter.TryGetValue(datacenter, out var stores) ? stores.Keys.Order(StringComparer.Ordinal) : null;

    public DatastoreTree? Find(string datacenter, string datastore) =>
        _byDatacenter.TryGetValue(datacenter, out var stores) && stores.TryGetValue(datastore, out var tree) ? tree : null;

    /// <summary>Builds the trees; the scenario must have passed the loader's validation.</summary>
    public static EmulatedDatastores Build(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var result = new EmulatedDatastores(scenario);
        foreach (var dc in scenario.Datacenters)
        {
            var stores = new Dictionary<string, DatastoreTree>(StringComparer.Ordinal);
            result._byDatacenter[dc.Name] = stores;
            foreach (var ds in dc.Datastores)
            {
                var tree = new DatastoreTree(ds.Name, ds.Uuid);
                stores[ds.Name] = tree;
                foreach (var file in ds.Files)
                {
                    if (file.Directory || file.Path.EndsWith('/'))
                    {
                        tree.EnsureFolder(file.Path);
                    }
                    else
                    {
                        var generated = file.Content.Kind is "text" or "base64" or "file" ? (long?)null : file.Size;
                        tree.TryAddFile(file.Path.TrimStart('/'), ContentFactory.Create(file.Content, generated));
                    }
                }
            }

            // A datastore-less VM (embedded vCLS) has no files to serve.
            foreach (var vm in dc.Vms.Where(v => v.Datastore.Length > 0))
            {
                AddVm(stores, VmFileLayout.For(dc, vm));
            }
        }

        return result;
    }

    private static void AddVm(Dictionary<string, DatastoreTree> stores, VmFileLayout layout)
    {
        var home = stores[layout.Datastore.Name];
        home.EnsureFolder(layout.Folder);
        var vmx = layout.Vm.VmxContent ?? VmxGenerator.Render(layout);
        home.TryAddFile(layout.VmxPath, new BytesContent(Encoding.UTF8.GetBytes(vmx)));
        home.TryAddFile(layout.NvramPath, new PatternContent(8684, StableHash.Of(layout.Vm.Name)));
        if (VmxGenerator.SuspendFileOf(layout) is { } vmss)
        {
            home.TryAddFile(vmss, new PatternContent(64 * 1024, StableHash.Of(vmss)));
        }

        foreach (var disk in layout.Disks)
        {
            var tree = stores[disk.Datastore.Name];
            var adapter = disk.Disk.Slot.StartsWith("scsi", StringComparison.Ordinal) ? "lsilogic" : "ide";
            var descriptor = DescriptorText.Render(Path.GetFileName(disk.FlatPath), disk.Disk.CapacityBytes, adapter, StableHash.Of(disk.DescriptorPath));
            tree.TryAddFile(disk.DescriptorPath, new BytesContent(Encoding.UTF8.GetBytes(descriptor)));
            tree.TryAddFile(disk.FlatPath, ContentFactory.Create(disk.Disk.Content, disk.Disk.CapacityBytes));
        }
    }
}
