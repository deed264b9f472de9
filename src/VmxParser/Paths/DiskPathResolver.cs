using EsxiImport.VmxParser.Model;
using EsxiImport.VmxParser.Warnings;

using ManifestModel = EsxiImport.VmxParser.Manifest.Manifest;

namespace EsxiImport.VmxParser.Paths;

/// <summary>A disk slot and where its file is, or null with a warning when that is unknown.</summary>
/// <param name="Slot">The slot from the .vmx.</param>
/// <param name="Location">The resolved file, or null (a warning names the disk).</param>
public sealed record ResolvedDisk(DiskSlot Slot, DatastoreLocation? Location);

/// <summary>
/// Turns the <c>fileName</c> of a disk into a place in the mount's tree. A .vmx names disks
/// relative to its own folder, as <c>/vmfs/volumes/&lt;uuid&gt;/…</c> (another datastore, FB-22),
/// as <c>/vmfs/volumes/&lt;datastore name&gt;/…</c> (ESXi's name symlink, FB-21), or rarely in
/// <c>[ds] path</c> notation. The manifest knows both the names and the URLs of the datastores,
/// so all forms resolve; what does not resolve becomes a warning naming the disk, never a
/// silently missing disk.
/// </summary>
public sealed class DiskPathResolver
{
    private const string UnresolvableDiskMessageId = "vmx.paths.unresolvable-disk";
    private const string DiskWithoutFileMessageId = "vmx.paths.disk-without-file";
    private const string VolumesPrefix = "/vmfs/volumes/";

    private readonly List<(string Datacenter, string Datastore, string VolumeId)> _datastores = [];

    /// <summary>Indexes the datastores of every datacenter in <paramref name="manifest"/>.</summary>
    public DiskPathResolver(ManifestModel manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        foreach (var (dc, datacenter) in manifest.Datacenters)
        {
            foreach (var (name, url) in datacenter.Datastores)
            {
                _datastores.Add((dc, name, VolumeIdOf(url)));
            }
        }
    }

    /// <summary>
    /// The volume id of a datastore URL: the part after <c>/vmfs/volumes/</c>, with or without
    /// a trailing slash and a <c>ds://</c> scheme (vCenter writes <c>ds:///vmfs/volumes/…/</c>).
    /// </summary>
    public static string VolumeIdOf(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var u = url.StartsWith("ds://", StringComparison.OrdinalIgnoreCase) ? url[5..] : url;
        u = u.TrimEnd('/');
        var at = u.IndexOf(VolumesPrefix, StringComparison.Ordinal);
        return at >= 0 ? u[(at + VolumesPrefix.Length)..] : u[(u.LastIndexOf('/') + 1)..];
    }

    /// <summary>
    /// Resolves <paramref name="fileName"/> as written in the file at <paramref name="vmx"/>: a
    /// .vmx for disks, or a descriptor for its extents and <c>parentFileNameHint</c> (same rules).
    /// Returns null and sets <paramref name="warning"/> (naming <paramref name="diskName"/>) when
    /// the file is on no datastore the manifest lists.
    /// </summary>
    public DatastoreLocation? Resolve(string fileName, DatastoreLocation vmx, string diskName, out ParseWarning? warning)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(vmx);
        warning = null;
        var found = Locate(fileName, vmx);
        if (found is null)
        {
            warning = ParseWarning.Of(null, UnresolvableDiskMessageId, ("disk", diskName), ("path", fileName));
        }

        return found;
    }

    /// <summary>
    /// Resolves every present disk of <paramref name="config"/> (CD-ROMs and absent slots are not
    /// disks to import). Each disk appears in the result, resolved or not.
    /// </summary>
    public IReadOnlyList<ResolvedDisk> ResolveDisks(VmConfig config, DatastoreLocation vmx, out IReadOnlyList<ParseWarning> warnings)
    {
        ArgumentNullException.ThrowIfNull(config);
        var list = new List<ParseWarning>();
        var result = new List<ResolvedDisk>();
        foreach (var slot in config.Disks)
        {
            if (slot.FileName is null)
            {
                list.Add(ParseWarning.Of(null, DiskWithoutFileMessageId, ("disk", slot.Name)));
                result.Add(new ResolvedDisk(slot, null));
                continue;
            }

            var location = Resolve(slot.FileName, vmx, slot.Name, out var warning);
            if (warning is not null)
            {
                list.Add(warning);
            }

            result.Add(new ResolvedDisk(slot, location));
        }

        warnings = list;
        return result;
    }

    private DatastoreLocation? Locate(string fileName, DatastoreLocation vmx)
    {
        if (fileName.StartsWith('[') && DatastorePath.TryParse(fileName, out var dsPath))
        {
            return Normalise(dsPath.Path) is { } p && Find(vmx.Datacenter, e => e.Datastore == dsPath.Datastore) is { } ds
                ? new DatastoreLocation(ds.Datacenter, ds.Datastore, p)
                : null;
        }

        if (fileName.StartsWith('/'))
        {
            if (Normalise(fileName) is not { } abs || !abs.StartsWith("vmfs/volumes/", StringComparison.Ordinal))
            {
                return null;
            }

            var rest = abs["vmfs/volumes/".Length..];
            var slash = rest.IndexOf('/');
            if (slash <= 0)
            {
                return null;
            }

            var volume = rest[..slash];
            var ds = Find(vmx.Datacenter, e => string.Equals(e.VolumeId, volume, StringComparison.OrdinalIgnoreCase))
                ?? Find(vmx.Datacenter, e => e.Datastore == volume);
            return ds is { } d ? new DatastoreLocation(d.Datacenter, d.Datastore, rest[(slash + 1)..]) : null;
        }

        var vmxDir = vmx.Path.LastIndexOf('/') is var i and >= 0 ? vmx.Path[..(i + 1)] : string.Empty;
        return Normalise(vmxDir + fileName) is { } rel ? vmx with { Path = rel } : null;
    }

    // Prefers the VM's own datacenter: two datacenters of a vCenter may share datastore names.
    private (string Datacenter, string Datastore, string VolumeId)? Find(string datacenter, Func<(string Datacenter, string Datastore, string VolumeId), bool> match)
    {
        (string, string, string)? other = null;
        foreach (var e in _datastores)
        {
            if (!match(e))
            {
                continue;
            }

            if (e.Datacenter == datacenter)
            {
                return e;
            }

            other ??= e;
        }

        return other;
    }

    /// <summary>Collapses "", "." and ".." segments; null when ".." leaves the root or nothing remains.</summary>
    private static string? Normalise(string path)
    {
        var parts = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (parts.Count == 0)
                {
                    return null;
                }

                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(segment);
        }

        return parts.Count == 0 ? null : string.Join('/', parts);
    }
}
