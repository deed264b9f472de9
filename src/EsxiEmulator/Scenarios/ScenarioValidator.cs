using System.Text.RegularExpressions;

using EsxiImport.Diagnostics;
using EsxiImport.Emulator.Faults;

namespace EsxiImport.Emulator.Scenarios;

/// <summary>
/// Checks what the YAML shape cannot: references between parts (a VM's or disk's datastore),
/// unique names, valid sizes and enumerations, parseable fault rules. The first problem is
/// reported as one line naming the file, the line and the field.
/// </summary>
internal sealed partial class ScenarioValidator(Dictionary<object, YamlFields> origins)
{
    private static readonly string[] PowerStates = ["poweredOn", "poweredOff", "suspended"];
    private static readonly string[] Firmwares = ["bios", "efi"];
    private static readonly string[] PathStyles = ["relative", "uuid", "name"];
    private static readonly string[] ContentKinds = ["zeros", "sparse", "pattern", "text", "base64", "file"];

    [GeneratedRegex(@"^(scsi|sata|ide|nvme)[0-9]+:[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex SlotPattern();

    public void Validate(Scenario s)
    {
        Unique(s.Users, u => u.Name, "name");
        if (s.Datacenters.Count == 0)
        {
            throw Fail(s, "datacenters", ScenarioMessageIds.MissingFieldMessageId);
        }

        Unique(s.Datacenters, d => d.Name, "name");
        foreach (var dc in s.Datacenters)
        {
            Unique(dc.Datastores, d => d.Name, "name");
            Unique(dc.Datastores, d => d.Uuid, "uuid");
            foreach (var ds in dc.Datastores)
            {
                foreach (var f in ds.Files)
                {
                    CheckPath(f, "path", f.Path);
                    if (f.Size < 0)
                    {
                        throw Fail(f, "size", ScenarioMessageIds.BadSizeMessageId, ("value", f.Size));
                    }

                    CheckContent(f.Content);
                }
            }

            foreach (var vm in dc.Vms)
            {
                CheckVm(dc, vm);
            }

            UniqueHomes(dc);
        }

        foreach (var rule in s.Faults)
        {
            try
            {
                FaultRuleParser.Parse(rule);
            }
            catch (ToolError e)
            {
                var (file, line, field) = Where(rule, "action");
                throw ToolError.Wrap(e, "emulator.scenario.bad-fault", ("file", file), ("line", line), ("field", field));
            }
        }

        if (s.Limits.MaxFolderRequestsInFlight is < 1)
        {
            throw Fail(s.Limits, "maxFolderRequestsInFlight", ScenarioMessageIds.NotANumberMessageId, ("value", s.Limits.MaxFolderRequestsInFlight));
        }
    }

    private void CheckVm(ScenarioDatacenter dc, ScenarioVm vm)
    {
        // An embedded vCLS VM (ESXi 8.0U3) has no datastore at all: allowed only without disks.
        var datastoreless = vm.Datastore.Length == 0 && vm.Disks.Count == 0;
        if (!datastoreless && dc.Datastores.All(d => d.Name != vm.Datastore))
        {
            throw Fail(vm, "datastore", ScenarioMessageIds.UnknownDatastoreMessageId, ("datastore", vm.Datastore));
        }

        OneOf(vm, "powerState", vm.PowerState, PowerStates);
        OneOf(vm, "firmware", vm.Firmware, Firmwares);
        if (vm.Folder is { } folder)
        {
            CheckPath(vm, "folder", folder);
        }

        if (vm.VmxFile is { } vmxFile && (vmxFile.Contains('/', StringComparison.Ordinal) || vmxFile.Length == 0))
        {
            throw Fail(vm, "vmxFile", ScenarioMessageIds.BadValueMessageId, ("value", vmxFile));
        }

        Unique(vm.Disks, d => d.Slot, "slot");
        var files = new HashSet<string>(StringComparer.Ordinal);
        foreach (var disk in vm.Disks)
        {
            if (!SlotPattern().IsMatch(disk.Slot))
            {
                throw Fail(disk, "slot", ScenarioMessageIds.BadValueMessageId, ("value", disk.Slot));
            }

            if (disk.Datastore is { } ds && dc.Datastores.All(d => d.Name != ds))
            {
                throw Fail(disk, "datastore", ScenarioMessageIds.UnknownDatastoreMessageId, ("datastore", ds));
            }

            if (disk.CapacityBytes <= 0 || disk.CapacityBytes % 512 != 0)
            {
                throw Fail(disk, "capacity", ScenarioMessageIds.BadSizeMessageId, ("value", disk.CapacityBytes));
            }

            if (disk.Path is { } path)
            {
                CheckPath(disk, "path", path);
                if (!path.EndsWith(".vmdk", StringComparison.Ordinal))
                {
                    throw Fail(disk, "path", ScenarioMessageIds.BadValueMessageId, ("value", path));
                }
            }

            OneOf(disk, "vmxPathStyle", disk.VmxPathStyle, PathStyles);
            CheckContent(disk.Content);
        }

        foreach (var layout in datastoreless ? [] : VmFileLayout.For(dc, vm).Disks)
        {
            if (!files.Add(layout.Datastore.Name + "/" + layout.DescriptorPath))
            {
                throw Fail(layout.Disk, "path", ScenarioMessageIds.DuplicateMessageId, ("value", layout.DescriptorPath));
            }
        }
    }

    /// <summary>
    /// Two VMs may share a name (a real host allows it: vSphere puts the second in another folder),
    /// but not a .vmx: each VM's .vmx path must be its own.
    /// </summary>
    private void UniqueHomes(ScenarioDatacenter dc)
    {
        var homes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var vm in dc.Vms.Where(v => v.Datastore.Length > 0))
        {
            var home = VmFileLayout.For(dc, vm).VmxDatastorePath;
            if (!homes.Add(home))
            {
                throw Fail(vm, vm.Folder is null ? "name" : "folder", ScenarioMessageIds.DuplicateMessageId, ("value", home));
            }
        }
    }

    private void CheckContent(ContentSpec c)
    {
        OneOf(c, "kind", c.Kind, ContentKinds);
        if (c.Kind == "sparse" && c.Stride < SparseMark)
        {
            throw Fail(c, "stride", ScenarioMessageIds.BadSizeMessageId, ("value", c.Stride));
        }

        if (c.Kind is "text" or "base64" && c.Text is null)
        {
            throw Fail(c, "text", ScenarioMessageIds.MissingFieldMessageId);
        }

        if (c.Kind == "base64" && !Convert.TryFromBase64String(c.Text!, new byte[c.Text!.Length], out _))
        {
            throw Fail(c, "text", ScenarioMessageIds.BadValueMessageId, ("value", c.Text.Length > 16 ? c.Text[..16] + "…" : c.Text));
        }

        if (c.Kind == "file" && (c.File is null || !File.Exists(c.File)))
        {
            throw Fail(c, "file", ScenarioMessageIds.MissingFileMessageId, ("value", c.File ?? ""));
        }
    }

    private const long SparseMark = Datastore.SparseContent.MarkLength;

    private void CheckPath(object owner, string key, string path)
    {
        if (path.Split('/').Any(seg => seg is ".." or ".") || path.Contains('\0', StringComparison.Ordinal))
        {
            throw Fail(owner, key, ScenarioMessageIds.BadValueMessageId, ("value", path));
        }
    }

    private void OneOf(object owner, string key, string value, string[] allowed)
    {
        if (!allowed.Contains(value, StringComparer.Ordinal))
        {
            throw Fail(owner, key, ScenarioMessageIds.NotOneOfMessageId, ("value", value), ("allowed", string.Join(", ", allowed)));
        }
    }

    private void Unique<T>(IEnumerable<T> items, Func<T, string> key, string field)
        where T : class
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (!seen.Add(key(item)))
            {
                throw Fail(item, field, ScenarioMessageIds.DuplicateMessageId, ("value", key(item)));
            }
        }
    }

    private (string File, int Line, string Field) Where(object owner, string key)
    {
        if (!origins.TryGetValue(owner, out var f))
        {
            return ("scenario", 0, key);
        }

        var node = f.Get(key) ?? f.Node;
        return (f.File, (int)node.Start.Line, f.Child(key));
    }

    private ToolError Fail(object owner, string key, string messageId, params (string Name, object? Value)[] extra)
    {
        var (file, line, field) = Where(owner, key);
        return ToolError.Of(messageId, ErrorKind.InvalidInput, [("file", file), ("line", line), ("field", field), .. extra]);
    }
}
