using EsxiImport.EsxiFuse.Esxi;
using EsxiImport.FieldReport.Redaction;
using EsxiImport.VmxParser.Manifest;

namespace EsxiImport.EsxiFuse.Diagnose;

/// <summary>
/// <c>--redact</c>: the names a report may show — the host, and the datacenters, datastores and
/// VMs of the manifest — are replaced with stable placeholders in the finished text, whatever
/// part of the report (a step, an error chain, a file path) they appear in. The text is redacted
/// after it is rendered, so a name cannot slip through a part of the report nobody thought of.
/// </summary>
internal static class ReportRedaction
{
    /// <summary>Adds the names to <paramref name="redactor"/> (the recording's, so report and recording agree) and returns it.</summary>
    public static Redactor Fill(Redactor redactor, HostAddress host, Manifest? manifest)
    {
        redactor.Add(NameKind.Host, host.Host);
        foreach (var (datacenter, dc) in manifest?.Datacenters ?? new Dictionary<string, ManifestDatacenter>())
        {
            redactor.Add(NameKind.Datacenter, datacenter);
            foreach (var datastore in dc.Datastores.Keys)
            {
                redactor.Add(NameKind.Datastore, datastore);
            }

            foreach (var (name, vm) in dc.Vms)
            {
                redactor.Add(NameKind.Vm, name);
                redactor.Add(NameKind.Datastore, vm.Config.Datastore);
                foreach (var disk in vm.Disks)
                {
                    redactor.Add(NameKind.Datastore, disk.Datastore);
                }
            }
        }

        return redactor;
    }
}
