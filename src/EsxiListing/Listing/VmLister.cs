using EsxiImport.Diagnostics;
using EsxiImport.Listing.Soap;
using EsxiImport.Vim25;
using EsxiImport.VmxParser.Manifest;
using EsxiImport.VmxParser.Paths;

namespace EsxiImport.Listing.Listing;

/// <summary>The manifest of a host, and the per-VM notices (skipped VMs, duplicates) for stderr.</summary>
public sealed record ListingResult(Manifest Manifest, IReadOnlyList<string> Notices);

/// <summary>
/// Lists every VM of a logged-in host into a manifest: one ContainerView, one paged
/// RetrievePropertiesEx (VMs plus their parent chain), DestroyView. VMs that cannot be imported
/// are skipped with a notice, as upstream does: vCLS agents, VMs without a datastore, VMs whose
/// config cannot be read; a second VM with a name already listed in its datacenter is reported
/// and skipped instead of silently replacing the first.
/// </summary>
public sealed class VmLister(VimService service, int pageSize = 1000)
{
    public async Task<ListingResult> ListAsync(ServiceContent content, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var view = await service.CreateContainerViewAsync(content, content.RootFolder, ["VirtualMachine"], true, ct).ConfigureAwait(false);
        var objects = new List<ObjectContent>();
        try
        {
            await foreach (var o in service.RetrieveAllAsync(content, [InventoryQuery.ForView(view)], pageSize, ct).ConfigureAwait(false))
            {
                objects.Add(o);
            }
        }
        finally
        {
            await service.DestroyViewAsync(view, ct).ConfigureAwait(false);
        }

        return Build(objects);
    }

    /// <summary>Turns the retrieved objects into the manifest; VMs keep the order the host listed them in.</summary>
    public static ListingResult Build(IReadOnlyList<ObjectContent> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var notices = new List<string>();
        var byRef = objects.ToDictionary(o => o.Obj);
        var datacenters = new Dictionary<string, (Dictionary<string, string> Datastores, Dictionary<string, ManifestVm> Vms)>(StringComparer.Ordinal);
        foreach (var vm in objects.Where(o => o.Obj.Type == "VirtualMachine").Select(o => new VmProperties(o)))
        {
            if (vm.VmPathName is null)
            {
                notices.Add(Messages.Format("listing.vm-failed", ("name", vm.Name), ("error", Messages.Text("listing.config-unavailable"))));
                continue;
            }

            if (vm.IsVclsAgent)
            {
                notices.Add(Messages.Format("listing.skip-vcls", ("name", vm.Name)));
                continue;
            }

            var urls = vm.DatastoreUrls.ToList();
            var known = urls.Select(u => u.Name).ToList();
            if (!DatastorePath.TryParse(vm.VmPathName, known, out var vmx) || vmx.Datastore.Length == 0)
            {
                notices.Add(Messages.Format("listing.skip-diskless", ("name", vm.Name)));
                continue;
            }

            if (DatacenterOf(vm.Parent, byRef) is not { } dcName)
            {
                notices.Add(Messages.Format("listing.vm-failed", ("name", vm.Name), ("error", Messages.Format("listing.datacenter-not-found", ("name", vm.Name)))));
                continue;
            }

            if (!datacenters.TryGetValue(dcName, out var dc))
            {
                datacenters[dcName] = dc = (new Dictionary<string, string>(StringComparer.Ordinal), new Dictionary<string, ManifestVm>(StringComparer.Ordinal));
            }

            if (dc.Vms.ContainsKey(vm.Name))
            {
                notices.Add(Messages.Format("listing.duplicate-vm", ("name", vm.Name), ("datacenter", dcName)));
                continue;
            }

            var disks = new List<ManifestDisk>();
            foreach (var (fileName, capacity) in vm.Disks)
            {
                if (DatastorePath.TryParse(fileName, known, out var disk))
                {
                    disks.Add(new ManifestDisk(disk.Datastore, disk.Path, capacity));
                }
                else
                {
                    notices.Add(Messages.Format("listing.disk-info-failed", ("error", Messages.Format("listing.bad-datastore-path", ("path", fileName ?? "")))));
                }
            }

            dc.Vms[vm.Name] = new ManifestVm(new ManifestConfig(vmx.Datastore, vmx.Path, vm.Checksum), disks, vm.PowerState);
            foreach (var (name, url) in urls)
            {
                dc.Datastores[name] = url;
            }
        }

        var manifest = new Manifest(datacenters.ToDictionary(d => d.Key, d => new ManifestDatacenter(d.Value.Datastores, d.Value.Vms), StringComparer.Ordinal));
        return new ListingResult(manifest, notices);
    }

    // Walks parent references (folders, possibly nested) up to the first Datacenter.
    private static string? DatacenterOf(ManagedObjectReference? parent, Dictionary<ManagedObjectReference, ObjectContent> byRef)
    {
        var seen = new HashSet<ManagedObjectReference>();
        while (parent is not null && seen.Add(parent) && byRef.TryGetValue(parent, out var obj))
        {
            if (parent.Type == "Datacenter")
            {
                return obj.Properties.GetValueOrDefault("name")?.Value;
            }

            parent = ManagedObjectReference.From(obj.Properties.GetValueOrDefault("parent"));
        }

        return null;
    }
}
