using EsxiImport.Diagnostics;
using EsxiImport.VmxParser.Manifest;
using EsxiImport.VmxParser.Model;
using EsxiImport.VmxParser.Syntax;

namespace EsxiImport.EsxiFuse.Diagnose;

/// <summary>
/// What is known to break an import and can be read from a VM's .vmx and descriptors, each with
/// one line from the catalogue (the id is the message id's last part). Pure: it reads what the survey found.
/// </summary>
internal static class VmRisks
{
    private static readonly string[] RawMappings = ["vmfsRawDeviceMap", "vmfsPassthroughRawDeviceMap"];

    public static IReadOnlyList<VmRisk> Of(VmSurvey survey, VmConfig config, VmxDocument vmx, ManifestVm vm, long largeDiskBytes)
    {
        var risks = new List<VmRisk>();
        void Add(string messageId, params (string Name, object? Value)[] args) => risks.Add(new VmRisk(messageId["diagnose.risk.".Length..], Messages.Format(messageId, args)));

        var disks = config.Disks.ToList();
        if (string.Equals(config.Firmware, "efi", StringComparison.OrdinalIgnoreCase)
            && disks.FirstOrDefault(d => d.Bus == DiskBus.Scsi && string.Equals(d.ControllerVirtualDev, "lsilogic", StringComparison.OrdinalIgnoreCase)) is { } lsi)
        {
            Add("diagnose.risk.efi-lsilogic", ("controller", $"scsi{lsi.Controller}"));
        }

        if (disks.Where(d => d.Bus == DiskBus.Nvme).Select(d => d.Name).ToList() is { Count: > 0 } nvme)
        {
            Add("diagnose.risk.nvme", ("disks", string.Join(", ", nvme)));
        }

        if (vmx["encryption.keySafe"] is not null || vmx["encryption.data"] is not null)
        {
            Add("diagnose.risk.encrypted");
        }

        if (IsTrue(vmx["vtpm.present"]))
        {
            Add("diagnose.risk.vtpm");
        }

        if (survey.Disks.Where(d => RawMappings.Contains(d.CreateType, StringComparer.OrdinalIgnoreCase)).Select(d => d.Slot).ToList() is { Count: > 0 } rdm)
        {
            Add("diagnose.risk.rdm", ("disks", string.Join(", ", rdm)));
        }

        if (survey.Disks.Where(d => d.Mode?.StartsWith("independent", StringComparison.OrdinalIgnoreCase) == true).Select(d => $"{d.Slot} ({d.Mode})").ToList() is { Count: > 0 } independent)
        {
            Add("diagnose.risk.independent", ("disks", string.Join(", ", independent)));
        }

        if (survey.Disks.Where(d => d.Parents.Count > 0).ToList() is { Count: > 0 } snapshots)
        {
            Add("diagnose.risk.snapshots", ("depth", snapshots.Max(d => d.Parents.Count)), ("disks", string.Join(", ", snapshots.Select(d => d.Slot))));
        }

        if (IsTrue(vmx["ctkEnabled"]) || disks.Any(d => IsTrue(vmx[d.Name + ".ctkEnabled"])))
        {
            Add("diagnose.risk.cbt");
        }

        var large = survey.Disks.Where(d => d.CapacityBytes > largeDiskBytes).Select(d => d.Slot)
            .Concat(vm.Disks.Where(d => d.Capacity > largeDiskBytes).Select(d => d.Path))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (large.Count > 0)
        {
            Add("diagnose.risk.large-disk", ("disks", string.Join(", ", large)));
        }

        if (string.Equals(vm.Power, "suspended", StringComparison.OrdinalIgnoreCase) || !string.IsNullOrEmpty(vmx["checkpoint.vmState"]))
        {
            Add("diagnose.risk.suspended");
        }

        return risks;
    }

    private static bool IsTrue(string? value) =>
        value is not null && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1" || value.Equals("yes", StringComparison.OrdinalIgnoreCase));
}
