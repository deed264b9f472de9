using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Esxi;
using EsxiImport.VmxParser.Descriptor;
using EsxiImport.VmxParser.Manifest;
using EsxiImport.VmxParser.Model;
using EsxiImport.VmxParser.Paths;
using EsxiImport.VmxParser.Syntax;

namespace EsxiImport.EsxiFuse.Datastores;

/// <summary>
/// Checks that a VM of the manifest can be imported: its .vmx opens and parses, every disk it
/// names exists, and every extent (and parent) named by each disk's descriptor exists. What it
/// finds joins the mounted tree. A failure names the VM and the file; the caller decides whether
/// it is a warning (the default: one broken VM never blocks the mount, FB-13) or fatal (--strict).
/// </summary>
internal sealed class VmChecker(Manifest manifest, RemoteTree tree, FolderClient client)
{
    /// <summary>A .vmx is a few KiB; anything this large is not one, and is not read whole.</summary>
    private const long MaxConfigBytes = 4L << 20;

    /// <summary>A text descriptor fits in the first 64 KiB; a binary sparse header too.</summary>
    private const int DescriptorProbeBytes = 64 << 10;

    // Context messages of CheckRelatedAsync, by kind of related file.
    private const string ExtentMessageId = "esxi-folder-fuse.vm.extent";
    private const string ParentMessageId = "esxi-folder-fuse.vm.parent";
    private const string ParseMessageId = "esxi-folder-fuse.vm.parse";

    private readonly DiskPathResolver _resolver = new(manifest);

    /// <summary>Checks one VM; throws a ToolError whose top message names the VM.</summary>
    public async Task CheckAsync(string datacenter, string vmName, ManifestVm vm, CancellationToken cancellationToken)
    {
        try
        {
            var vmx = new DatastoreLocation(datacenter, vm.Config.Datastore, vm.Config.Path);
            var config = await ReadConfigAsync(Remote(vmx), cancellationToken).ConfigureAwait(false);
            var disks = _resolver.ResolveDisks(config, vmx, out _);
            foreach (var disk in disks)
            {
                if (disk.Location is not { } location)
                {
                    throw ToolError.Of("esxi-folder-fuse.vm.disk-unresolved", ErrorKind.NotFound, ("disk", disk.Slot.Name), ("path", disk.Slot.FileName ?? string.Empty));
                }

                await CheckDiskAsync(disk.Slot.Name, location, cancellationToken).ConfigureAwait(false);
            }

            // The manifest's own disk list comes from the host's view of the VM; check it too.
            foreach (var disk in vm.Disks)
            {
                await StatFileAsync(new RemotePath(datacenter, disk.Datastore, disk.Path), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ToolError e)
        {
            throw ToolError.Wrap(e, "esxi-folder-fuse.vm.check-failed", ("vm", vmName), ("datacenter", datacenter));
        }
    }

    private async Task<VmConfig> ReadConfigAsync(RemotePath vmx, CancellationToken cancellationToken)
    {
        var size = await StatFileAsync(vmx, cancellationToken).ConfigureAwait(false);
        if (size > MaxConfigBytes)
        {
            throw ToolError.Wrap(
                ToolError.Of("esxi-folder-fuse.vm.too-large", ErrorKind.InvalidInput, ("size", size), ("limit", MaxConfigBytes)),
                ParseMessageId,
                ("path", vmx));
        }

        var bytes = await ReadPrefixAsync(vmx, size, (int)size, cancellationToken).ConfigureAwait(false);
        var document = VmxDocument.Parse(bytes);
        if (document.Keys.Count == 0)
        {
            throw ToolError.Wrap(
                ToolError.Of("esxi-folder-fuse.vm.no-entries", ErrorKind.InvalidInput),
                ParseMessageId,
                ("path", vmx));
        }

        return VmConfigReader.Read(document);
    }

    private async Task CheckDiskAsync(string diskName, DatastoreLocation disk, CancellationToken cancellationToken)
    {
        var remote = Remote(disk);
        long size;
        try
        {
            size = await StatFileAsync(remote, cancellationToken).ConfigureAwait(false);
        }
        catch (ToolError e)
        {
            throw ToolError.Wrap(e, "esxi-folder-fuse.vm.disk", ("disk", diskName));
        }

        var probe = await ReadPrefixAsync(remote, size, (int)Math.Min(size, DescriptorProbeBytes), cancellationToken).ConfigureAwait(false);
        VmdkFile vmdk;
        try
        {
            vmdk = VmdkReader.Read(probe, remote.Path);
        }
        catch (ToolError e)
        {
            throw ToolError.Wrap(e, "esxi-folder-fuse.vm.descriptor", ("disk", diskName), ("path", remote));
        }

        if (vmdk.Kind != VmdkFileKind.Descriptor || vmdk.Descriptor is not { } descriptor)
        {
            return; // a binary sparse disk is its own extent
        }

        foreach (var extent in descriptor.Extents)
        {
            if (extent.FileName is not { } name)
            {
                continue; // ZERO extents have no file
            }

            await CheckRelatedAsync(diskName, disk, name, ExtentMessageId, cancellationToken).ConfigureAwait(false);
        }

        if (descriptor.ParentFileNameHint is { Length: > 0 } parent)
        {
            await CheckRelatedAsync(diskName, disk, parent, ParentMessageId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Checks a file a descriptor names (an extent or the parent disk), relative to the descriptor.</summary>
    private async Task CheckRelatedAsync(string diskName, DatastoreLocation descriptor, string fileName, string contextMessageId, CancellationToken cancellationToken)
    {
        var location = _resolver.Resolve(fileName, descriptor, diskName, out _);
        try
        {
            if (location is null)
            {
                throw ToolError.Of("esxi-folder-fuse.vm.disk-unresolved", ErrorKind.NotFound, ("disk", diskName), ("path", fileName));
            }

            await StatFileAsync(Remote(location), cancellationToken).ConfigureAwait(false);
        }
        catch (ToolError e)
        {
            throw ToolError.Wrap(e, contextMessageId, ("disk", diskName), ("file", fileName));
        }
    }

    /// <summary>HEAD of a file; it must be a file. Adds it to the tree with its size.</summary>
    private async Task<long> StatFileAsync(RemotePath path, CancellationToken cancellationToken)
    {
        var entry = await client.StatAsync(path, cancellationToken).ConfigureAwait(false);
        if (entry.Kind != RemoteEntryKind.File)
        {
            throw ToolError.Of("esxi-folder-fuse.vm.not-a-file", ErrorKind.IsDirectory, ("path", path));
        }

        tree.AddFile(path)?.SetSize(entry.Size);
        return entry.Size;
    }

    /// <summary>The first <paramref name="length"/> bytes of a file of <paramref name="size"/> bytes (size from its HEAD).</summary>
    private async Task<byte[]> ReadPrefixAsync(RemotePath path, long size, int length, CancellationToken cancellationToken)
    {
        var buffer = new byte[length];
        var read = await client.ReadAsync(path, size, 0, buffer, cancellationToken).ConfigureAwait(false);
        return read == length ? buffer : buffer[..read];
    }

    private static RemotePath Remote(DatastoreLocation location) => new(location.Datacenter, location.Datastore, location.Path);
}
