using EsxiImport.Listing.Soap;
using EsxiImport.Vim25;

namespace EsxiImport.Listing.Listing;

/// <summary>
/// The one property-collector request of a listing: from a ContainerView of all VMs, every VM's
/// listing properties plus, through a recursive <c>parent</c> traversal, the folders and
/// datacenters above them — so VMs and their datacenters arrive in one RetrievePropertiesEx
/// (and its continuation pages) instead of one call per property.
/// </summary>
public static class InventoryQuery
{
    public static readonly IReadOnlyList<string> VmPaths =
    [
        "name", "parent", "runtime.powerState", "config.files.vmPathName", "config.vmxConfigChecksum",
        "config.hardware.device", "config.datastoreUrl", "config.extraConfig",
    ];

    public static PropertyFilterSpec ForView(ManagedObjectReference view)
    {
        // folderParent refers to itself by name: Folder.parent repeated until a non-folder (the datacenter).
        var folderParent = new TraversalSpec("folderParent", "Folder", "parent", false, [new SelectionSpec("folderParent")]);
        var vmParent = new TraversalSpec("vmParent", "VirtualMachine", "parent", false, [folderParent]);
        var viewTraversal = new TraversalSpec("view", "ContainerView", "view", false, [vmParent]);
        return new PropertyFilterSpec(
            [
                new PropertySpec("VirtualMachine", VmPaths),
                new PropertySpec("Folder", ["name", "parent"]),
                new PropertySpec("Datacenter", ["name"]),
            ],
            [new ObjectSpec(view, true, [viewTraversal])]);
    }
}
