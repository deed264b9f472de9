using System.Globalization;

using EsxiImport.Emulator.Scenarios;
using EsxiImport.VmxParser.Syntax;

namespace EsxiImport.Emulator.Datastore;

/// <summary>Writes the .vmx of a scenario VM from its fields, in the key order ESXi uses.</summary>
public static class VmxGenerator
{
    public static string Render(VmFileLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var vm = layout.Vm;
        var inv = CultureInfo.InvariantCulture;
        var e = new List<KeyValuePair<string, string>>
        {
            new(".encoding", "UTF-8"),
            new("config.version", "8"),
            new("virtualHW.version", "19"),
            new("displayName", vm.Name),
            new("guestOS", vm.GuestOs),
            new("memSize", vm.MemoryMb.ToString(inv)),
            new("numvcpus", vm.Cpus.ToString(inv)),
        };
        if (vm.Firmware == "efi")
        {
            e.Add(new("firmware", "efi"));
        }

        e.Add(new("nvram", Path.GetFileName(layout.NvramPath)));
        var controllers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var disk in layout.Disks)
        {
            var slot = disk.Disk.Slot;
            var controller = slot[..slot.IndexOf(':', StringComparison.Ordinal)];
            if (controllers.Add(controller))
            {
                e.Add(new(controller + ".present", "TRUE"));
                if (controller.StartsWith("scsi", StringComparison.Ordinal))
                {
                    e.Add(new(controller + ".virtualDev", "pvscsi"));
                }
            }

            e.Add(new(slot + ".present", "TRUE"));
            e.Add(new(slot + ".fileName", disk.VmxFileName));
            if (!slot.StartsWith("nvme", StringComparison.Ordinal))
            {
                e.Add(new(slot + ".deviceType", controller.StartsWith("sata", StringComparison.Ordinal) ? "disk" : "scsi-hardDisk"));
            }
        }

        if (SuspendFileOf(layout) is { } vmss)
        {
            e.Add(new("checkpoint.vmState", Path.GetFileName(vmss)));
        }

        foreach (var (key, value) in vm.ExtraConfig)
        {
            e.Add(new(key, value));
        }

        return VmxWriter.Render(e);
    }

    /// <summary>The suspend-state file a suspended VM has next to its .vmx; null otherwise.</summary>
    public static string? SuspendFileOf(VmFileLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return layout.Vm.PowerState == "suspended"
            ? layout.VmxPath[..^4] + "-" + (StableHash.Of(layout.Vm.Name) & 0xFFFF).ToString("x4", CultureInfo.InvariantCulture) + ".vmss"
            : null;
    }
}
