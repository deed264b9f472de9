using EsxiImport.Emulator.Scenarios;
using EsxiImport.Vim25;

namespace EsxiImport.Emulator.Inventory;

/// <summary>
/// The managed objects of an emulated standalone host, built once from a scenario. The first
/// datacenter gets ESXi's fixed ids (<c>ha-datacenter</c>, <c>ha-folder-vm</c>, <c>ha-host</c>…);
/// further datacenters, which only a vCenter would have, get vCenter-style ids. VMs are numbered
/// <c>1, 2, …</c> as vim-cmd numbers them. The inventory is immutable: every request reads it
/// without locks.
/// </summary>
public sealed class HostInventory
{
    public static readonly ManagedObjectReference ServiceInstance = new("ServiceInstance", "ServiceInstance");
    public static readonly ManagedObjectReference RootFolder = new("Folder", "ha-folder-root");
    public static readonly ManagedObjectReference PropertyCollector = new("PropertyCollector", "ha-property-collector");
    public static readonly ManagedObjectReference ViewManager = new("ViewManager", "ViewManager");
    public static readonly ManagedObjectReference SessionManager = new("SessionManager", "ha-sessionmgr");

    private readonly Dictionary<ManagedObjectReference, ManagedObject> _objects = [];
    private readonly List<ManagedObjectReference> _order = [];

    private HostInventory(Scenario scenario)
    {
        About = InventoryValues.About(scenario.Host);
        ServiceContent = InventoryValues.ServiceContent(About);
        Add(new ManagedObject(ServiceInstance, [new("content", ServiceContent)]));
        foreach (var manager in ServiceContent.Fields.Select(f => f.Value).OfType<ManagedObjectReference>())
        {
            if (manager != RootFolder && !_objects.ContainsKey(manager))
            {
                Add(new ManagedObject(manager, []));
            }
        }

        var vmNumber = 0;
        var datacenters = new List<ManagedObjectReference>();
        for (var i = 0; i < scenario.Datacenters.Count; i++)
        {
            datacenters.Add(AddDatacenter(scenario.Datacenters[i], i, ref vmNumber));
        }

        Add(new ManagedObject(RootFolder,
        [
            new("name", VimPrimitive.String("ha-folder-root")),
            new("parent", null),
            new("childType", new VimArray("string", [VimPrimitive.String("Datacenter")])),
            new("childEntity", new VimArray("ManagedObjectReference", datacenters)),
        ], datacenters));
    }

    /// <summary>What RetrieveServiceContent returns.</summary>
    public VimData ServiceContent { get; }

    public VimData About { get; }

    /// <summary>Every object, in creation order.</summary>
    public IEnumerable<ManagedObject> Objects => _order.Select(r => _objects[r]);

    /// <summary>The VMs, in the order a ContainerView on the root folder lists them.</summary>
    public IReadOnlyList<ManagedObjectReference> VirtualMachines => _order.Where(r => r.Type == "VirtualMachine").ToList();

    public static HostInventory Build(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return new HostInventory(scenario);
    }

    public ManagedObject? Find(ManagedObjectReference reference) => _objects.GetValueOrDefault(reference);

    /// <summary>The entities below <paramref name="container"/> (itself excluded), depth first, each once.</summary>
    public IReadOnlyList<ManagedObjectReference> Descendants(ManagedObjectReference container, bool recursive)
    {
        var seen = new HashSet<ManagedObjectReference>();
        var result = new List<ManagedObjectReference>();
        void Walk(ManagedObjectReference at)
        {
            if (Find(at) is not { } obj)
            {
                return;
            }

            foreach (var child in obj.Children)
            {
                if (seen.Add(child))
                {
                    result.Add(child);
                    if (recursive)
                    {
                        Walk(child);
                    }
                }
            }
        }

        Walk(container);
        return result;
    }

    private void Add(ManagedObject obj)
    {
        _objects.Add(obj.Ref, obj);
        _order.Add(obj.Ref);
    }

    private static string Id(int index, string haId, string vcPrefix) =>
        index == 0 ? haId : vcPrefix + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private ManagedObjectReference AddDatacenter(ScenarioDatacenter dc, int index, ref int vmNumber)
    {
        var dcRef = new ManagedObjectReference("Datacenter", Id(index, "ha-datacenter", "datacenter-"));
        var vmFolder = new ManagedObjectReference("Folder", Id(index, "ha-folder-vm", "group-v"));
        var hostFolder = new ManagedObjectReference("Folder", Id(index, "ha-folder-host", "group-h"));
        var dsFolder = new ManagedObjectReference("Folder", Id(index, "ha-folder-datastore", "group-s"));
        var netFolder = new ManagedObjectReference("Folder", Id(index, "ha-folder-network", "group-n"));
        var computeRes = new ManagedObjectReference("ComputeResource", Id(index, "ha-compute-res", "domain-s"));
        var host = new ManagedObjectReference("HostSystem", Id(index, "ha-host", "host-"));
        var pool = new ManagedObjectReference("ResourcePool", Id(index, "ha-root-pool", "resgroup-"));

        var datastores = new Dictionary<string, ManagedObjectReference>(StringComparer.Ordinal);
        foreach (var ds in dc.Datastores)
        {
            var id = ds.Uuid.Length > 0 && !_objects.ContainsKey(new ManagedObjectReference("Datastore", ds.Uuid))
                ? ds.Uuid
                : "datastore-" + (_order.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            datastores.TryAdd(ds.Name, new ManagedObjectReference("Datastore", id));
        }

        var vms = new List<ManagedObjectReference>();
        var vmsByDatastore = new Dictionary<string, List<ManagedObjectReference>>(StringComparer.Ordinal);
        foreach (var vm in dc.Vms)
        {
            vmNumber++;
            var vmRef = new ManagedObjectReference("VirtualMachine", vmNumber.ToString(System.Globalization.CultureInfo.InvariantCulture));
            vms.Add(vmRef);
            var used = VmConfigBuilder.DatastoresUsed(vm);
            foreach (var name in used)
            {
                if (!vmsByDatastore.TryGetValue(name, out var list))
                {
                    vmsByDatastore[name] = list = [];
                }

                list.Add(vmRef);
            }

            var config = vm.ConfigUnavailable ? null : VmConfigBuilder.Build(vm, dc, datastores);
            Add(new ManagedObject(vmRef,
            [
                new("name", VimPrimitive.String(vm.Name)),
                new("parent", vmFolder),
                new("resourcePool", pool),
                new("datastore", new VimArray("ManagedObjectReference", used.Where(datastores.ContainsKey).Select(n => (VimValue)datastores[n]).ToList())),
                new("runtime", InventoryValues.Runtime(vm, host)),
                new("config", config),
            ]));
        }

        var dsRefs = datastores.Values.Cast<VimValue>().ToList();
        Add(new ManagedObject(dcRef,
        [
            new("name", VimPrimitive.String(dc.Name)),
            new("parent", RootFolder),
            new("vmFolder", vmFolder),
            new("hostFolder", hostFolder),
            new("datastoreFolder", dsFolder),
            new("networkFolder", netFolder),
            new("datastore", new VimArray("ManagedObjectReference", dsRefs)),
            new("network", new VimArray("ManagedObjectReference", [])),
        ], [vmFolder, hostFolder, dsFolder, netFolder]));
        Add(Folder(vmFolder, "vm", dcRef, ["Folder", "VirtualMachine", "VirtualApp"], vms));
        Add(Folder(hostFolder, "host", dcRef, ["Folder", "ComputeResource"], [computeRes]));
        Add(Folder(dsFolder, "datastore", dcRef, ["Folder", "Datastore"], datastores.Values.ToList()));
        Add(Folder(netFolder, "network", dcRef, ["Folder", "Network"], []));
        Add(new ManagedObject(computeRes,
        [
            new("name", VimPrimitive.String("localhost.localdomain")),
            new("parent", hostFolder),
            new("resourcePool", pool),
            new("host", new VimArray("ManagedObjectReference", [host])),
            new("datastore", new VimArray("ManagedObjectReference", dsRefs)),
        ], [host, pool]));
        Add(new ManagedObject(host,
        [
            new("name", VimPrimitive.String("localhost.localdomain")),
            new("parent", computeRes),
            new("vm", new VimArray("ManagedObjectReference", vms.Cast<VimValue>().ToList())),
            new("datastore", new VimArray("ManagedObjectReference", dsRefs)),
        ]));
        Add(new ManagedObject(pool,
        [
            new("name", VimPrimitive.String("Resources")),
            new("parent", computeRes),
            new("owner", computeRes),
            new("vm", new VimArray("ManagedObjectReference", vms.Cast<VimValue>().ToList())),
        ], vms));
        foreach (var ds in dc.Datastores)
        {
            var dsRef = datastores[ds.Name];
            if (_objects.ContainsKey(dsRef))
            {
                continue;
            }

            Add(new ManagedObject(dsRef,
            [
                new("name", VimPrimitive.String(ds.Name)),
                new("parent", dsFolder),
                new("summary", InventoryValues.DatastoreSummary(dsRef, ds)),
                new("vm", new VimArray("ManagedObjectReference", vmsByDatastore.GetValueOrDefault(ds.Name)?.Cast<VimValue>().ToList() ?? [])),
            ]));
        }

        return dcRef;
    }

    private static ManagedObject Folder(ManagedObjectReference folder, string name, ManagedObjectReference parent, string[] childTypes, IReadOnlyList<ManagedObjectReference> children) =>
        new(folder,
        [
            new("name", VimPrimitive.String(name)),
            new("parent", parent),
            new("childType", new VimArray("string", childTypes.Select(t => (VimValue)VimPrimitive.String(t)).ToList())),
            new("childEntity", new VimArray("ManagedObjectReference", children.Cast<VimValue>().ToList())),
        ], children);
}
