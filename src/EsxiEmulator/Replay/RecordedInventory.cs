using System.Globalization;
using System.Xml.Linq;

using EsxiImport.Emulator.Scenarios;
using EsxiImport.Vim25;

namespace EsxiImport.Emulator.Replay;

/// <summary>
/// The VMs and the host identity that a recording's SOAP answers show, as scenario parts: every
/// VirtualMachine object of a RetrievePropertiesEx or ContinueRetrievePropertiesEx answer (name,
/// .vmx path, power state, checksum, extraConfig, disks with slot, path and capacity; a VM whose
/// config was missing is <c>configUnavailable</c>), its datacenter by the parent chain, the
/// datastores and their VMFS UUIDs from <c>config.datastoreUrl</c>, and the version of
/// RetrieveServiceContent's <c>about</c>.
/// </summary>
internal sealed class RecordedInventory
{
    private readonly Dictionary<string, XElement> _objects = [];
    private readonly List<string> _vmOrder = [];

    private RecordedInventory()
    {
    }

    public HostInfo Host { get; private set; } = new();

    /// <summary>Datastore name → VMFS UUID, where a VM's datastoreUrl named one.</summary>
    public Dictionary<string, string> Uuids { get; } = [];

    public static RecordedInventory From(Recorded recorded)
    {
        var inventory = new RecordedInventory();
        foreach (var exchange in recorded.Soap.Where(e => e.Entry.Response.Status == 200 && e.Entry.Response.Content.Text is not null))
        {
            XElement? body;
            try
            {
                body = SoapEnvelope.BodyContent(XDocument.Parse(exchange.Entry.Response.Content.Text!));
            }
            catch (System.Xml.XmlException)
            {
                continue;
            }

            if (body is null)
            {
                continue;
            }

            if (exchange.Call.Method == "RetrieveServiceContent" && body.Descendants().FirstOrDefault(e => e.Name.LocalName == "about") is { } about)
            {
                var d = new HostInfo();
                inventory.Host = new HostInfo
                {
                    Version = about.ChildText("version") ?? d.Version,
                    Build = about.ChildText("build") ?? d.Build,
                    ApiVersion = about.ChildText("apiVersion") ?? d.ApiVersion,
                };
            }

            foreach (var content in body.Descendants().Where(e => e.Name.LocalName == "objects"))
            {
                inventory.Add(content);
            }
        }

        return inventory;
    }

    /// <summary>The VMs of a datacenter (by name), in the order the host listed them.</summary>
    public IEnumerable<ScenarioVm> VmsOf(string datacenter) =>
        _vmOrder.Where(id => DatacenterOf(id) == datacenter).Select(id => Vm(_objects[id]));

    /// <summary>Every datacenter a VM lies in.</summary>
    public IEnumerable<string> Datacenters => _vmOrder.Select(DatacenterOf).OfType<string>().Distinct();

    private void Add(XElement content)
    {
        if (ManagedObjectReference.From(content.Child("obj")) is not { } obj)
        {
            return;
        }

        var key = obj.Type + ":" + obj.Value;
        if (!_objects.ContainsKey(key) && obj.Type == "VirtualMachine")
        {
            _vmOrder.Add(key);
        }

        _objects[key] = content;
        foreach (var url in Property(content, "config.datastoreUrl")?.Elements() ?? [])
        {
            if (url.ChildText("name") is { } name && url.ChildText("url") is { } path
                && path.Split('/', StringSplitOptions.RemoveEmptyEntries) is [.., var uuid] && path.StartsWith("/vmfs/volumes/", StringComparison.Ordinal))
            {
                Uuids.TryAdd(name, uuid);
            }
        }
    }

    private static XElement? Property(XElement content, string name) =>
        content.Children("propSet").FirstOrDefault(p => p.ChildText("name") == name)?.Child("val");

    private string? DatacenterOf(string key)
    {
        for (var hops = 0; hops < 64 && _objects.TryGetValue(key, out var content); hops++)
        {
            var obj = ManagedObjectReference.From(content.Child("obj"))!;
            if (obj.Type == "Datacenter")
            {
                return Property(content, "name")?.Value;
            }

            if (ManagedObjectReference.From(Property(content, "parent")) is not { } parent)
            {
                return null;
            }

            key = parent.Type + ":" + parent.Value;
        }

        // A listing that did not fetch the parent chain: the host's one datacenter.
        return "ha-datacenter";
    }

    private static ScenarioVm Vm(XElement content)
    {
        var name = Property(content, "name")?.Value ?? "";
        var (datastore, path) = DatastorePath(Property(content, "config.files.vmPathName")?.Value);
        var devices = Property(content, "config.hardware.device")?.Elements().ToList() ?? [];
        var controllers = devices.Where(d => d.Child("busNumber") is not null)
            .ToDictionary(d => d.ChildText("key") ?? "", d => (Bus: d.ChildText("busNumber") ?? "0", Kind: ControllerKind(d.XsiType() ?? "")));
        var extra = (Property(content, "config.extraConfig")?.Elements() ?? [])
            .Where(o => o.ChildText("key") is not null)
            .GroupBy(o => o.ChildText("key")!)
            .ToDictionary(g => g.Key, g => g.First().ChildText("value") ?? "");
        var checksum = Property(content, "config.vmxConfigChecksum")?.Value;
        return new ScenarioVm
        {
            Name = name,
            Datastore = datastore,
            Folder = path.Contains('/', StringComparison.Ordinal) ? path[..path.LastIndexOf('/')] : null,
            VmxFile = path.Length > 0 ? path[(path.LastIndexOf('/') + 1)..] : null,
            PowerState = Property(content, "runtime.powerState")?.Value ?? "poweredOff",
            ConfigChecksum = checksum is { Length: > 0 } ? Convert.ToHexStringLower(Convert.FromBase64String(checksum.Trim())) : null,
            // A VM whose config cannot be read comes without config properties, or with them in missingSet.
            ConfigUnavailable = Property(content, "config.files.vmPathName") is null,
            ExtraConfig = extra,
            Disks = [.. devices.Where(d => d.XsiType() == "VirtualDisk").Select(d => Disk(d, controllers))],
        };
    }

    private static ScenarioDisk Disk(XElement device, Dictionary<string, (string Bus, string Kind)> controllers)
    {
        var (datastore, path) = DatastorePath(device.Child("backing")?.ChildText("fileName"));
        var capacity = device.ChildText("capacityInBytes") is { } bytes
            ? long.Parse(bytes.Trim(), CultureInfo.InvariantCulture)
            : long.Parse(device.ChildText("capacityInKB")?.Trim() ?? "0", CultureInfo.InvariantCulture) * 1024;
        var controller = controllers.TryGetValue(device.ChildText("controllerKey") ?? "", out var known) ? known : (Bus: "0", Kind: "scsi");
        return new ScenarioDisk
        {
            Slot = controller.Kind + controller.Bus + ":" + (device.ChildText("unitNumber") ?? "0"),
            Datastore = datastore,
            Path = path,
            CapacityBytes = (capacity + 511) / 512 * 512,
            Content = new ContentSpec { Kind = "pattern", Seed = ReplayScenario.Seed(datastore + "\n" + path) },
        };
    }

    private static string ControllerKind(string type) =>
        type.Contains("SATA", StringComparison.OrdinalIgnoreCase) || type.Contains("Ahci", StringComparison.OrdinalIgnoreCase) ? "sata"
        : type.Contains("IDE", StringComparison.OrdinalIgnoreCase) ? "ide"
        : type.Contains("NVME", StringComparison.OrdinalIgnoreCase) ? "nvme"
        : "scsi";

    /// <summary><c>[ds] a/b.vmx</c> → (ds, a/b.vmx).</summary>
    private static (string Datastore, string Path) DatastorePath(string? text)
    {
        var close = text?.IndexOf(']', StringComparison.Ordinal) ?? -1;
        return text is not null && text.StartsWith('[') && close > 0 ? (text[1..close], text[(close + 1)..].Trim()) : ("", "");
    }
}
