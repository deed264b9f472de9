using System.Globalization;
using System.Text;
using System.Xml.Linq;

using EsxiImport.Emulator.Faults;
using EsxiImport.Emulator.Scenarios;
using EsxiImport.Vim25;

using YamlDotNet.Serialization;

namespace EsxiImport.Emulator.Replay;

/// <summary>
/// Turns recordings into a scenario file and a golden case skeleton for review
/// (<c>esxi-emulator --recording-to-scenario FILE... --out DIR</c>): the inventory from the SOAP
/// answers (<see cref="RecordedInventory"/>), the datastore files and /folder failures as the
/// replay serves them (<see cref="ReplayScenario"/>), recorded .vmx texts as the VMs'
/// <c>vmxContent</c>, and the recorded SOAP failures as sdk fault rules on the same call numbers.
/// What the recording cannot say (disk bytes, guest OS, memory) takes the scenario defaults.
/// </summary>
internal static class RecordingConversion
{
    public const string ScenarioFile = "scenario.yaml";
    public const string CaseFile = "case.yaml";

    /// <summary>Writes <c>scenario.yaml</c> and <c>case.yaml</c> into <paramref name="outDir"/>; returns their paths.</summary>
    public static IReadOnlyList<string> Write(Recorded recorded, IReadOnlyList<string> sources, string outDir)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        ArgumentNullException.ThrowIfNull(sources);
        var scenario = Build(recorded, string.Join(" + ", sources.Select(Path.GetFileName)));
        Directory.CreateDirectory(outDir);
        var scenarioPath = Path.Combine(outDir, ScenarioFile);
        var casePath = Path.Combine(outDir, CaseFile);
        File.WriteAllText(scenarioPath, "# Made from " + string.Join(", ", sources.Select(Path.GetFileName)) + " by esxi-emulator --recording-to-scenario; review before use.\n" + Yaml(scenario), new UTF8Encoding(false));
        File.WriteAllText(casePath, CaseYaml(sources), new UTF8Encoding(false));
        return [scenarioPath, casePath];
    }

    public static Scenario Build(Recorded recorded, string name)
    {
        var files = ReplayScenario.From(recorded, name);
        var inventory = RecordedInventory.From(recorded);
        // A listing that failed before it saw the inventory still needs the host's one datacenter.
        var names = files.Datacenters.Select(d => d.Name).Concat(inventory.Datacenters).DefaultIfEmpty("ha-datacenter").Distinct().ToList();
        var datacenters = new List<ScenarioDatacenter>();
        foreach (var dcName in names)
        {
            var known = files.Datacenters.FirstOrDefault(d => d.Name == dcName);
            var texts = (known?.Datastores ?? []).SelectMany(ds => ds.Files.Where(f => f.Content.Kind == "text").Select(f => (ds.Name, f.Path, f.Content.Text!)))
                .ToDictionary(t => (t.Item1, t.Path), t => t.Item3);
            var vms = inventory.VmsOf(dcName).Select(vm => WithRecordedVmx(vm, texts)).ToList();
            var firstStore = known?.Datastores.FirstOrDefault()?.Name ?? vms.Select(v => v.Datastore).FirstOrDefault(n => n.Length > 0) ?? "datastore1";

            // A VM whose config could not be read shows no datastore; it needs one in a scenario.
            vms = [.. vms.Select(vm => vm.Datastore.Length > 0 ? vm : WithDatastore(vm, firstStore))];
            var generated = vms.SelectMany(GeneratedPaths).ToHashSet();
            var storeNames = (known?.Datastores.Select(d => d.Name) ?? [])
                .Concat(vms.Select(v => v.Datastore)).Concat(vms.SelectMany(v => v.Disks.Select(d => d.Datastore ?? v.Datastore)))
                .Where(n => n.Length > 0).Distinct().ToList();
            datacenters.Add(new ScenarioDatacenter
            {
                Name = dcName,
                Datastores = [.. storeNames.Select(ds => new ScenarioDatastore
                {
                    Name = ds,
                    Uuid = inventory.Uuids.GetValueOrDefault(ds) ?? known?.Datastores.FirstOrDefault(d => d.Name == ds)?.Uuid ?? "",
                    Files = [.. (known?.Datastores.FirstOrDefault(d => d.Name == ds)?.Files ?? []).Where(f => !generated.Contains((ds, f.Path)))],
                })],
                Vms = vms,
            });
        }

        return new Scenario
        {
            Name = name,
            Host = inventory.Host,
            Users = files.Users,
            Datacenters = datacenters,
            Faults = [.. files.Faults, .. SdkFailureRules(recorded)],
        };
    }

    private static ScenarioVm WithRecordedVmx(ScenarioVm vm, Dictionary<(string, string), string> texts)
    {
        var vmx = (vm.Folder is { Length: > 0 } f ? f + "/" : "") + vm.VmxFile;
        return texts.TryGetValue((vm.Datastore, vmx), out var text) ? Copy(vm, vm.Datastore, text) : vm;
    }

    private static ScenarioVm WithDatastore(ScenarioVm vm, string datastore) => Copy(vm, datastore, vm.VmxContent);

    private static ScenarioVm Copy(ScenarioVm vm, string datastore, string? vmxContent) => new()
    {
        Name = vm.Name,
        Datastore = datastore,
        Folder = vm.Folder,
        VmxFile = vm.VmxFile,
        VmxContent = vmxContent,
        PowerState = vm.PowerState,
        ConfigChecksum = vm.ConfigChecksum,
        ConfigUnavailable = vm.ConfigUnavailable,
        ExtraConfig = vm.ExtraConfig,
        Disks = vm.Disks,
    };

    /// <summary>The files the emulator makes for a VM itself (.vmx, .nvram, descriptors, extents): the recorded copies would clash.</summary>
    private static IEnumerable<(string Datastore, string Path)> GeneratedPaths(ScenarioVm vm)
    {
        var folder = (vm.Folder ?? vm.Name) + "/";
        yield return (vm.Datastore, folder + (vm.VmxFile ?? vm.Name + ".vmx"));
        yield return (vm.Datastore, folder + vm.Name + ".nvram");
        foreach (var disk in vm.Disks)
        {
            var ds = disk.Datastore ?? vm.Datastore;
            yield return (ds, disk.Path ?? "");
            yield return (ds, (disk.Path ?? "").EndsWith(".vmdk", StringComparison.Ordinal) ? disk.Path![..^5] + "-flat.vmdk" : "");
        }
    }

    /// <summary>Recorded SOAP failures as sdk rules by method, on the same call numbers (see <see cref="ReplayScenario"/> for the counting).</summary>
    private static IEnumerable<FaultRuleSpec> SdkFailureRules(Recorded recorded)
    {
        foreach (var method in recorded.Soap.Select(e => e.Call.Method).Distinct())
        {
            var answered = 0;
            var calls = recorded.Soap.Where(e => e.Call.Method == method).ToList();
            for (var i = 0; i < calls.Count; i++)
            {
                var response = calls[i].Entry.Response;
                if (response.Status == 200 || (method == "Login" && FaultName(response.Content.Text) == "InvalidLogin"))
                {
                    continue;
                }

                var action = response.Status == 500 && FaultName(response.Content.Text) is { } fault ? "soap-fault:" + fault
                    : response.Status == 0 ? "reset-before"
                    : "status:" + response.Status.ToString(CultureInfo.InvariantCulture);
                yield return new FaultRuleSpec
                {
                    Endpoint = "sdk",
                    Method = "POST",
                    Match = method,
                    Trigger = string.Create(CultureInfo.InvariantCulture, $"skip:{i - answered}:1"),
                    Action = action,
                    Body = action.StartsWith("status:", StringComparison.Ordinal) ? response.Content.Text : null,
                };
                answered++;
            }
        }
    }

    /// <summary>The vim25 fault type of a SOAP fault answer (the xsi:type of the detail's child), or null.</summary>
    private static string? FaultName(string? xml)
    {
        try
        {
            return xml is null ? null
                : XDocument.Parse(xml).Descendants().FirstOrDefault(e => e.Name.LocalName == "detail")?.Elements().FirstOrDefault()?.XsiType();
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    private static string CaseYaml(IReadOnlyList<string> sources) =>
        "about: \"TODO: what the user saw (made from " + string.Join(", ", sources.Select(Path.GetFileName)) + ")\"\n"
        + "tool: listing\n"
        + "scenario: " + ScenarioFile + "\n"
        + "args: [--skip-cert-verification, --port, \"{port}\", 127.0.0.1, \"{user}\", \"{password-file}\"]\n"
        + "# Then: ACCEPT=1 scripts/run-case.sh <this folder's name> writes stdout, stderr and exit; review them.\n";

    /// <summary>The scenario in the file format the loader reads, stating only what differs from the defaults.</summary>
    private static string Yaml(Scenario s)
    {
        var root = new Dictionary<string, object?>
        {
            ["name"] = s.Name,
            ["host"] = new Dictionary<string, object?> { ["version"] = s.Host.Version, ["build"] = s.Host.Build, ["apiVersion"] = s.Host.ApiVersion },
            ["users"] = s.Users.Select(u => new Dictionary<string, object?> { ["name"] = u.Name, ["password"] = u.Password }).ToList(),
            ["datacenters"] = s.Datacenters.Select(dc => new Dictionary<string, object?>
            {
                ["name"] = dc.Name,
                ["datastores"] = dc.Datastores.Select(Datastore).ToList(),
                ["vms"] = dc.Vms.Select(Vm).ToList(),
            }).ToList(),
            ["faults"] = s.Faults.Select(Fault).ToList(),
        };
        return new SerializerBuilder().WithQuotingNecessaryStrings().Build().Serialize(root);
    }

    private static Dictionary<string, object?> Datastore(ScenarioDatastore ds)
    {
        var map = new Dictionary<string, object?> { ["name"] = ds.Name };
        if (ds.Uuid.Length > 0)
        {
            map["uuid"] = ds.Uuid;
        }

        map["files"] = ds.Files.Select(f => f.Directory
            ? new Dictionary<string, object?> { ["path"] = f.Path.TrimEnd('/') + "/" }
            : new Dictionary<string, object?> { ["path"] = f.Path, ["size"] = f.Size, ["content"] = Content(f.Content) }).ToList();
        return map;
    }

    private static Dictionary<string, object?> Vm(ScenarioVm vm)
    {
        var map = new Dictionary<string, object?>
        {
            ["name"] = vm.Name,
            ["datastore"] = vm.Datastore,
            ["powerState"] = vm.PowerState,
        };
        Optional(map, "folder", vm.Folder);
        Optional(map, "vmxFile", vm.VmxFile);
        Optional(map, "configChecksum", vm.ConfigChecksum);
        Optional(map, "vmxContent", vm.VmxContent);
        if (vm.ConfigUnavailable)
        {
            map["configUnavailable"] = true;
        }

        if (vm.ExtraConfig.Count > 0)
        {
            map["extraConfig"] = vm.ExtraConfig.ToDictionary(p => p.Key, p => (object?)p.Value);
        }

        map["disks"] = vm.Disks.Select(d => new Dictionary<string, object?>
        {
            ["slot"] = d.Slot,
            ["datastore"] = d.Datastore,
            ["path"] = d.Path,
            ["capacity"] = d.CapacityBytes,
            ["content"] = Content(d.Content),
        }).ToList();
        return map;
    }

    private static Dictionary<string, object?> Content(ContentSpec c) => c.Kind switch
    {
        "text" or "base64" => new Dictionary<string, object?> { ["kind"] = c.Kind, ["text"] = c.Text },
        _ => new Dictionary<string, object?> { ["kind"] = c.Kind, ["seed"] = c.Seed },
    };

    private static Dictionary<string, object?> Fault(FaultRuleSpec f)
    {
        var map = new Dictionary<string, object?> { ["endpoint"] = f.Endpoint, ["method"] = f.Method ?? "*", ["match"] = f.Match, ["trigger"] = f.Trigger, ["action"] = f.Action };
        Optional(map, "body", f.Body);
        return map;
    }

    private static void Optional(Dictionary<string, object?> map, string key, string? value)
    {
        if (value is not null)
        {
            map[key] = value;
        }
    }
}
