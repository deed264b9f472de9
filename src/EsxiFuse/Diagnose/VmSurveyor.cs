using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Datastores;
using EsxiImport.EsxiFuse.Esxi;
using EsxiImport.VmxParser.Descriptor;
using EsxiImport.VmxParser.Manifest;
using EsxiImport.VmxParser.Model;
using EsxiImport.VmxParser.Paths;
using EsxiImport.VmxParser.Syntax;

namespace EsxiImport.EsxiFuse.Diagnose;

/// <summary>
/// Walks one VM as the host serves it: the .vmx, each disk's descriptor, its extents and its
/// chain of parents, with sizes; and reads from these files what is known to break imports.
/// A file that cannot be read is noted with its reason and the walk goes on, so the report shows
/// everything that is there. Disk contents are never read beyond a descriptor's first 64 KiB.
/// </summary>
internal sealed class VmSurveyor(Manifest manifest, FolderClient client)
{
    /// <summary>A .vmx is a few KiB; a larger file is not read.</summary>
    private const long MaxConfigBytes = 4L << 20;

    /// <summary>A text descriptor fits in the first 64 KiB; a binary sparse header too.</summary>
    private const int DescriptorProbeBytes = 64 << 10;

    /// <summary>Parents followed at most (ESXi allows 255 snapshots; a loop must end).</summary>
    private const int MaxChain = 255;

    private const long TwoTiB = 2L << 40;

    private readonly DiskPathResolver _resolver = new(manifest);

    /// <summary>Every data file seen (extents, sparse disks), for the measurements: the largest is read.</summary>
    public List<(RemotePath Path, long Bytes)> DataFiles { get; } = [];

    public async Task<VmSurvey> SurveyAsync(string datacenter, string name, ManifestVm vm, CancellationToken cancellationToken)
    {
        var vmxLocation = new DatastoreLocation(datacenter, vm.Config.Datastore, vm.Config.Path);
        var vmxPath = Remote(vmxLocation);
        var survey = new VmSurvey
        {
            Datacenter = datacenter,
            Name = name,
            Vmx = new VmFile(Show(vmxLocation), null, null),
            Power = vm.Power,
        };

        byte[] bytes;
        try
        {
            var size = await StatAsync(vmxPath, cancellationToken).ConfigureAwait(false);
            survey = survey with { Vmx = survey.Vmx with { Bytes = size } };
            if (size > MaxConfigBytes)
            {
                return survey with { Vmx = survey.Vmx with { Problem = Messages.Format("esxi-folder-fuse.vm.too-large", ("size", size), ("limit", MaxConfigBytes)) } };
            }

            bytes = await ReadPrefixAsync(vmxPath, size, (int)size, cancellationToken).ConfigureAwait(false);
        }
        catch (ToolError e)
        {
            return survey with { Vmx = survey.Vmx with { Problem = OneLine(e) } };
        }

        var document = VmxDocument.Parse(bytes);
        var config = VmConfigReader.Read(document);
        var warnings = config.Warnings.Select(w => w.ToString()).ToList();
        var resolved = _resolver.ResolveDisks(config, vmxLocation, out var pathWarnings);
        warnings.AddRange(pathWarnings.Select(w => w.ToString()));
        var disks = new List<VmDisk>();
        foreach (var disk in resolved)
        {
            disks.Add(await SurveyDiskAsync(disk, document, cancellationToken).ConfigureAwait(false));
        }

        survey = survey with
        {
            GuestOs = config.GuestOs,
            Firmware = config.Firmware,
            Disks = disks,
            Warnings = warnings,
        };
        return survey with { Risks = VmRisks.Of(survey, config, document, vm, TwoTiB) };
    }

    private async Task<VmDisk> SurveyDiskAsync(ResolvedDisk disk, VmxDocument document, CancellationToken cancellationToken)
    {
        var mode = document[disk.Slot.Name + ".mode"];
        if (disk.Location is not { } location)
        {
            var path = disk.Slot.FileName ?? string.Empty;
            return new VmDisk(disk.Slot.Name, new VmFile(path, null, Messages.Format("esxi-folder-fuse.vm.disk-unresolved", ("disk", disk.Slot.Name), ("path", path))), null, null, [], [], mode);
        }

        var (descriptorFile, parsed) = await ReadDescriptorAsync(location, cancellationToken).ConfigureAwait(false);
        var extents = await ExtentsAsync(disk.Slot.Name, location, parsed, cancellationToken).ConfigureAwait(false);
        var parents = new List<VmFile>();
        var current = (Location: location, Parsed: parsed);
        while (current.Parsed?.Descriptor?.ParentFileNameHint is { Length: > 0 } hint && parents.Count < MaxChain)
        {
            if (_resolver.Resolve(hint, current.Location, disk.Slot.Name, out _) is not { } parent)
            {
                parents.Add(new VmFile(hint, null, Messages.Format("esxi-folder-fuse.vm.disk-unresolved", ("disk", disk.Slot.Name), ("path", hint))));
                break;
            }

            var (parentFile, parentParsed) = await ReadDescriptorAsync(parent, cancellationToken).ConfigureAwait(false);
            parents.Add(parentFile);
            _ = await ExtentsAsync(disk.Slot.Name, parent, parentParsed, cancellationToken).ConfigureAwait(false);
            current = (parent, parentParsed);
        }

        return new VmDisk(disk.Slot.Name, descriptorFile, parsed?.Descriptor?.CreateType, parsed?.Descriptor?.CapacityBytes, extents, parents, mode);
    }

    private async Task<(VmFile File, VmdkFile? Parsed)> ReadDescriptorAsync(DatastoreLocation location, CancellationToken cancellationToken)
    {
        var remote = Remote(location);
        long size;
        try
        {
            size = await StatAsync(remote, cancellationToken).ConfigureAwait(false);
            var probe = await ReadPrefixAsync(remote, size, (int)Math.Min(size, DescriptorProbeBytes), cancellationToken).ConfigureAwait(false);
            var parsed = VmdkReader.Read(probe, remote.Path);
            if (parsed.Kind != VmdkFileKind.Descriptor)
            {
                DataFiles.Add((remote, size)); // a binary sparse disk is its own data
            }

            return (new VmFile(Show(location), size, null), parsed);
        }
        catch (ToolError e)
        {
            return (new VmFile(Show(location), null, OneLine(e)), null);
        }
    }

    private async Task<IReadOnlyList<VmFile>> ExtentsAsync(string diskName, DatastoreLocation descriptor, VmdkFile? parsed, CancellationToken cancellationToken)
    {
        var files = new List<VmFile>();
        foreach (var extent in parsed?.Descriptor?.Extents ?? [])
        {
            if (extent.FileName is not { } name)
            {
                continue; // ZERO extents have no file
            }

            if (_resolver.Resolve(name, descriptor, diskName, out _) is not { } location)
            {
                files.Add(new VmFile(name, null, Messages.Format("esxi-folder-fuse.vm.disk-unresolved", ("disk", diskName), ("path", name))));
                continue;
            }

            try
            {
                var size = await StatAsync(Remote(location), cancellationToken).ConfigureAwait(false);
                DataFiles.Add((Remote(location), size));
                files.Add(new VmFile(Show(location), size, null));
            }
            catch (ToolError e)
            {
                files.Add(new VmFile(Show(location), null, OneLine(e)));
            }
        }

        return files;
    }

    private async Task<long> StatAsync(RemotePath path, CancellationToken cancellationToken)
    {
        var entry = await client.StatAsync(path, cancellationToken).ConfigureAwait(false);
        return entry.Kind == RemoteEntryKind.File
            ? entry.Size
            : throw ToolError.Of("esxi-folder-fuse.vm.not-a-file", ErrorKind.IsDirectory, ("path", path));
    }

    private Task<byte[]> ReadPrefixAsync(RemotePath path, long size, int length, CancellationToken cancellationToken) =>
        VmChecker.ReadPrefixAsync(client, path, size, length, cancellationToken);

    private static string OneLine(ToolError e) => string.Join(": ", ErrorChain.Of(e));

    private static string Show(DatastoreLocation location) => location.ToDatastorePath().ToString();

    private static RemotePath Remote(DatastoreLocation location) => new(location.Datacenter, location.Datastore, location.Path);
}
