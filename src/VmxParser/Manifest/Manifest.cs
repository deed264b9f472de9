namespace EsxiImport.VmxParser.Manifest;

/// <summary>
/// The listing JSON the plugin stores and the mount tool reads:
/// <c>{ "&lt;datacenter&gt;": { "datastores": {name: url}, "vms": { "&lt;name&gt;": {...} } } }</c>.
/// Keys keep the order they had in the file (or were added in), so a round trip is stable.
/// </summary>
public sealed record Manifest(IReadOnlyDictionary<string, ManifestDatacenter> Datacenters)
{
    /// <summary>
    /// What the reader noticed and let pass (a key given twice: the later value is used, as
    /// upstream's tool and the plugin read it), as finished texts for the log.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>One datacenter: its datastores (name → <c>/vmfs/volumes/&lt;uuid&gt;/</c> URL) and VMs by name.</summary>
public sealed record ManifestDatacenter(
    IReadOnlyDictionary<string, string> Datastores,
    IReadOnlyDictionary<string, ManifestVm> Vms);

/// <summary>
/// One VM. <see cref="Disks"/> is empty and <see cref="Power"/> null in manifests written by old
/// listing tools that did not record them.
/// </summary>
public sealed record ManifestVm(ManifestConfig Config, IReadOnlyList<ManifestDisk> Disks, string? Power);

/// <summary>Where the VM's .vmx lives, and its config checksum (hex, or "N/A").</summary>
public sealed record ManifestConfig(string Datastore, string Path, string Checksum);

/// <summary>One virtual disk as the host reports it: datastore, path in it, capacity in bytes.</summary>
public sealed record ManifestDisk(string Datastore, string Path, long Capacity);
