namespace EsxiImport.Emulator.Inventory;

/// <summary>
/// The API version that introduced a field or type, for the few the emulator serves that are
/// newer than the oldest clients it must satisfy. pyvmomi rejects any element it does not know
/// (6.7.1 even fails on a real 7.0.3 field), so anything newer than the negotiated version is
/// left out. Introducing versions are those recorded in pyvmomi's type tables.
/// </summary>
public static class VersionFilter
{
    private static readonly Dictionary<string, ApiVersion> FieldSince = new(StringComparer.Ordinal)
    {
        ["AboutInfo.instanceUuid"] = new("6.7"),
        ["VirtualMachineConfigInfo.createDate"] = new("6.7"),
        ["VirtualMachineConfigInfo.vmxConfigChecksum"] = new("6.0"),
        ["VirtualMachineConfigInfo.vmOpNotificationToAppEnabled"] = new("7.0.3.0"),
        ["VirtualDisk.capacityInBytes"] = new("5.5"),
    };

    private static readonly Dictionary<string, ApiVersion> TypeSince = new(StringComparer.Ordinal)
    {
        ["VirtualNVMEController"] = new("6.5"),
        ["VirtualDiskSeSparseBackingInfo"] = new("5.1"),
    };

    /// <summary>Whether field <paramref name="field"/> of type <paramref name="owner"/> exists in <paramref name="version"/>.</summary>
    public static bool AllowsField(string owner, string field, ApiVersion version) =>
        !FieldSince.TryGetValue(owner + "." + field, out var since) || version >= since;

    /// <summary>Whether data type <paramref name="type"/> exists in <paramref name="version"/>.</summary>
    public static bool AllowsType(string type, ApiVersion version) =>
        !TypeSince.TryGetValue(type, out var since) || version >= since;
}
