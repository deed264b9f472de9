namespace EsxiImport.Emulator.Inventory;

/// <summary>The managed-object type hierarchy, as far as PropertySpec and ContainerView type matching need it.</summary>
public static class ManagedTypes
{
    private static readonly HashSet<string> Entities = new(StringComparer.Ordinal)
    {
        "Folder", "Datacenter", "VirtualMachine", "HostSystem", "ComputeResource", "ResourcePool", "Datastore", "Network",
    };

    /// <summary>Whether an object of <paramref name="actual"/> type is a <paramref name="wanted"/>.</summary>
    public static bool IsA(string actual, string wanted) =>
        actual == wanted
        || wanted == "ManagedObject"
        || (wanted == "ExtensibleManagedObject" && Entities.Contains(actual))
        || (wanted == "ManagedEntity" && Entities.Contains(actual))
        || (wanted == "ComputeResource" && actual == "ClusterComputeResource");

    /// <summary>Types a ContainerView may be created on.</summary>
    public static bool IsContainer(string type) =>
        type is "Folder" or "Datacenter" or "ComputeResource" or "ResourcePool" or "HostSystem";
}
