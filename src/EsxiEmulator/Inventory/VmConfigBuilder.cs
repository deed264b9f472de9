using System.Globalization;
using System.Security.Cryptography;
using System.Text;

using EsxiImport.Emulator.Scenarios;
using EsxiImport.Vim25;

namespace EsxiImport.Emulator.Inventory;

/// <summary>
/// Builds a VM's <c>VirtualMachineConfigInfo</c> from its scenario entry: files, hardware with one
/// controller per used bus and a VirtualDisk (FlatVer2 backing) per disk, extraConfig,
/// datastoreUrl and vmxConfigChecksum. Fields are emitted in WSDL order.
/// </summary>
internal static class VmConfigBuilder
{
    // Device keys as ESXi numbers them: controllers per bus kind, disks per controller.
    private static readonly Dictionary<string, (string Type, int ControllerKey, int DiskKey)> Buses = new(StringComparer.Ordinal)
    {
        ["ide"] = ("VirtualIDEController", 200, 3000),
        ["scsi"] = ("ParaVirtualSCSIController", 1000, 2000),
        ["sata"] = ("VirtualAHCIController", 15000, 16000),
        ["nvme"] = ("VirtualNVMEController", 31000, 32000),
    };

    /// <summary>The datastores a VM has files on: its own first, then its disks', each once.</summary>
    public static IReadOnlyList<string> DatastoresUsed(ScenarioVm vm)
    {
        var names = new List<string>();
        if (vm.Datastore.Length > 0)
        {
            names.Add(vm.Datastore);
        }

        foreach (var disk in vm.Disks)
        {
            var ds = ScenarioVmPaths.DiskDatastore(vm, disk);
            if (ds.Length > 0 && !names.Contains(ds))
            {
                names.Add(ds);
            }
        }

        return names;
    }

    public static VimData Build(ScenarioVm vm, ScenarioDatacenter dc, IReadOnlyDictionary<string, ManagedObjectReference> datastores)
    {
        var identity = vm.Name + ScenarioVmPaths.Distinction(dc, vm);
        var uuid = StableUuid("uuid:" + dc.Name + "/" + identity);
        var fields = new List<VimField>
        {
            new("changeVersion", VimPrimitive.String("2024-01-01T00:00:00.000000Z")),
            new("modified", VimPrimitive.DateTime(InventoryValues.FixedTime)),
            new("name", VimPrimitive.String(vm.Name)),
            new("guestFullName", VimPrimitive.String(vm.GuestOs)),
            new("version", VimPrimitive.String("vmx-19")),
            new("uuid", VimPrimitive.String(uuid)),
            new("createDate", VimPrimitive.DateTime(InventoryValues.FixedTime)),
            new("instanceUuid", VimPrimitive.String(StableUuid("instance:" + dc.Name + "/" + identity))),
            new("template", VimPrimitive.Bool(false)),
            new("guestId", VimPrimitive.String(vm.GuestOs)),
            new("alternateGuestName", VimPrimitive.String("")),
            new("files", Files(vm)),
            new("flags", new VimData("VirtualMachineFlagInfo", [])),
            new("defaultPowerOps", new VimData("VirtualMachineDefaultPowerOpInfo", [])),
            new("hardware", Hardware(vm, identity, datastores)),
        };
        foreach (var (key, value) in vm.ExtraConfig)
        {
            fields.Add(new("extraConfig", new VimData("OptionValue", [new("key", VimPrimitive.String(key)), new("value", VimPrimitive.String(value), AnyType: true)])));
        }

        foreach (var name in DatastoresUsed(vm))
        {
            var ds = dc.Datastores.FirstOrDefault(d => d.Name == name);
            if (ds is not null)
            {
                fields.Add(new("datastoreUrl", new VimData("VirtualMachineConfigInfoDatastoreUrlPair",
                    [new("name", VimPrimitive.String(ds.Name)), new("url", VimPrimitive.String(ds.Url))])));
            }
        }

        fields.Add(new("firmware", VimPrimitive.String(vm.Firmware)));
        if (vm.ConfigChecksum is { } hex)
        {
            fields.Add(new("vmxConfigChecksum", VimPrimitive.Base64(Convert.FromHexString(hex))));
        }

        fields.Add(new("vmOpNotificationToAppEnabled", VimPrimitive.Bool(false)));
        return new VimData("VirtualMachineConfigInfo", Regroup(fields));
    }

    // extraConfig and datastoreUrl are arrays: keep their items together as one array field.
    private static List<VimField> Regroup(List<VimField> fields)
    {
        var result = new List<VimField>();
        foreach (var group in fields.GroupBy(f => f.Name).OrderBy(g => fields.FindIndex(f => f.Name == g.Key)))
        {
            result.Add(group.Key is "extraConfig" or "datastoreUrl"
                ? new VimField(group.Key, new VimArray(group.Key == "extraConfig" ? "OptionValue" : "VirtualMachineConfigInfoDatastoreUrlPair", group.Select(f => f.Value).ToList()))
                : group.Single());
        }

        return result;
    }

    private static VimData Files(ScenarioVm vm)
    {
        var dir = "[" + vm.Datastore + "] " + ScenarioVmPaths.Folder(vm) + "/";
        return new VimData("VirtualMachineFileInfo",
        [
            new("vmPathName", VimPrimitive.String(ScenarioVmPaths.VmPathName(vm))),
            new("snapshotDirectory", VimPrimitive.String(dir)),
            new("suspendDirectory", VimPrimitive.String(dir)),
            new("logDirectory", VimPrimitive.String(dir)),
        ]);
    }

    private static VimData Hardware(ScenarioVm vm, string identity, IReadOnlyDictionary<string, ManagedObjectReference> datastores)
    {
        var disks = new List<(int Index, string Kind, int Bus, int Unit)>();
        for (var i = 0; i < vm.Disks.Count; i++)
        {
            var (kind, bus, unit) = ScenarioVmPaths.ParseSlot(vm.Disks[i].Slot);
            disks.Add((i, kind, bus, unit));
        }

        var devices = new List<VimValue>();
        foreach (var controller in disks.Select(d => (d.Kind, d.Bus)).Distinct().OrderBy(c => Buses[c.Kind].ControllerKey).ThenBy(c => c.Bus))
        {
            var (type, baseKey, diskBase) = Buses[controller.Kind];
            var children = disks.Where(d => d.Kind == controller.Kind && d.Bus == controller.Bus)
                .Select(d => (VimValue)VimPrimitive.Int(DiskKey(diskBase, d.Bus, d.Unit))).ToList();
            var fields = new List<VimField>
            {
                new("key", VimPrimitive.Int(baseKey + controller.Bus)),
                new("deviceInfo", Description(ControllerLabel(controller.Kind, controller.Bus), ControllerLabel(controller.Kind, controller.Bus))),
                new("busNumber", VimPrimitive.Int(controller.Bus)),
                new("device", new VimArray("int", children)),
            };
            if (controller.Kind == "scsi")
            {
                fields.Add(new("sharedBus", new VimEnum("VirtualSCSISharing", "noSharing")));
                fields.Add(new("scsiCtlrUnitNumber", VimPrimitive.Int(7)));
            }

            devices.Add(new VimData(type, fields, Polymorphic: true));
        }

        var number = 0;
        foreach (var d in disks)
        {
            number++;
            var disk = vm.Disks[d.Index];
            var dsName = ScenarioVmPaths.DiskDatastore(vm, disk);
            var (_, controllerBase, diskBase) = Buses[d.Kind];
            var backing = new List<VimField> { new("fileName", VimPrimitive.String("[" + dsName + "] " + ScenarioVmPaths.DiskPath(vm, d.Index))) };
            if (datastores.TryGetValue(dsName, out var dsRef))
            {
                backing.Add(new("datastore", dsRef));
            }

            backing.Add(new("diskMode", VimPrimitive.String("persistent")));
            backing.Add(new("split", VimPrimitive.Bool(false)));
            backing.Add(new("writeThrough", VimPrimitive.Bool(false)));
            backing.Add(new("thinProvisioned", VimPrimitive.Bool(true)));
            backing.Add(new("uuid", VimPrimitive.String(StableUuid("disk:" + identity + "/" + d.Index.ToString(CultureInfo.InvariantCulture)))));
            var kb = disk.CapacityBytes / 1024;
            devices.Add(new VimData("VirtualDisk",
            [
                new("key", VimPrimitive.Int(DiskKey(diskBase, d.Bus, d.Unit))),
                new("deviceInfo", Description("Hard disk " + number.ToString(CultureInfo.InvariantCulture), kb.ToString("N0", CultureInfo.InvariantCulture) + " KB")),
                new("backing", new VimData("VirtualDiskFlatVer2BackingInfo", backing, Polymorphic: true)),
                new("controllerKey", VimPrimitive.Int(controllerBase + d.Bus)),
                new("unitNumber", VimPrimitive.Int(d.Unit)),
                new("capacityInKB", VimPrimitive.Long(kb)),
                new("capacityInBytes", VimPrimitive.Long(disk.CapacityBytes)),
            ], Polymorphic: true));
        }

        return new VimData("VirtualHardware",
        [
            new("numCPU", VimPrimitive.Int(vm.Cpus)),
            new("numCoresPerSocket", VimPrimitive.Int(1)),
            new("memoryMB", VimPrimitive.Int(vm.MemoryMb)),
            new("device", new VimArray("VirtualDevice", devices)),
        ]);
    }

    private static int DiskKey(int diskBase, int bus, int unit) => diskBase + (bus * 16) + unit;

    private static string ControllerLabel(string kind, int bus) => kind switch
    {
        "scsi" => "SCSI controller " + bus.ToString(CultureInfo.InvariantCulture),
        "sata" => "SATA controller " + bus.ToString(CultureInfo.InvariantCulture),
        "nvme" => "NVME controller " + bus.ToString(CultureInfo.InvariantCulture),
        _ => "IDE " + bus.ToString(CultureInfo.InvariantCulture),
    };

    private static VimData Description(string label, string summary) =>
        new("Description", [new("label", VimPrimitive.String(label)), new("summary", VimPrimitive.String(summary))]);

    private static string StableUuid(string seed)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(seed));
        return new Guid(hash.AsSpan(0, 16)).ToString("D");
    }
}
