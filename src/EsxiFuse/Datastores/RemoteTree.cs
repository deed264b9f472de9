using EsxiImport.EsxiFuse.Esxi;
using EsxiImport.VmxParser.Manifest;

namespace EsxiImport.EsxiFuse.Datastores;

/// <summary>
/// The mounted tree: root → datacenters → datastores → folders and files. Everything the
/// manifest names (datastores, each VM's .vmx, its disks) exists from the start; the VM checks
/// add what they learn (descriptor extents); other names are found by asking the host.
/// </summary>
internal sealed class RemoteTree
{
    public RemoteTree(Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        foreach (var (dcName, dc) in manifest.Datacenters)
        {
            var datacenter = (DirectoryNode)Root.Add(new DirectoryNode(dcName, DirectoryLevel.Datacenter, dcName, string.Empty, string.Empty));
            foreach (var ds in dc.Datastores.Keys)
            {
                AddDatastore(datacenter, ds);
            }

            foreach (var vm in dc.Vms.Values)
            {
                AddFile(new RemotePath(dcName, vm.Config.Datastore, vm.Config.Path));
                foreach (var disk in vm.Disks)
                {
                    AddFile(new RemotePath(dcName, disk.Datastore, disk.Path));
                }
            }
        }
    }

    public DirectoryNode Root { get; } = new(string.Empty, DirectoryLevel.Root, string.Empty, string.Empty, string.Empty);

    /// <summary>
    /// Makes <paramref name="file"/> and the folders above it exist in the tree and returns its
    /// node. Paths that cannot name a node (empty, '.', '..' components) are ignored and give null.
    /// </summary>
    public FileNode? AddFile(RemotePath file)
    {
        var parts = file.Path.Split('/');
        if (file.Datastore.Length == 0 || parts.Any(p => p.Length == 0 || p is "." or ".."))
        {
            return null;
        }

        if (Root.Child(file.Datacenter) is not DirectoryNode datacenter)
        {
            datacenter = (DirectoryNode)Root.Add(new DirectoryNode(file.Datacenter, DirectoryLevel.Datacenter, file.Datacenter, string.Empty, string.Empty));
        }

        var dir = AddDatastore(datacenter, file.Datastore);
        for (var i = 0; i < parts.Length - 1; i++)
        {
            var path = string.Join('/', parts, 0, i + 1);
            if (dir.Add(new DirectoryNode(parts[i], DirectoryLevel.Folder, file.Datacenter, file.Datastore, path)) is not DirectoryNode next)
            {
                return null;
            }

            dir = next;
        }

        return dir.Add(new FileNode(parts[^1], file)) as FileNode;
    }

    private static DirectoryNode AddDatastore(DirectoryNode datacenter, string name) =>
        (DirectoryNode)datacenter.Add(new DirectoryNode(name, DirectoryLevel.Datastore, datacenter.Datacenter, name, string.Empty));
}
