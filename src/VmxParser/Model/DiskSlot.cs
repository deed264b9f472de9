namespace EsxiImport.VmxParser.Model;

/// <summary>The bus a disk or CD-ROM slot sits on, from the key prefix (<c>scsi0:1</c>, <c>sata0:0</c>, ...).</summary>
public enum DiskBus
{
    /// <summary><c>scsiN:M</c></summary>
    Scsi,

    /// <summary><c>sataN:M</c></summary>
    Sata,

    /// <summary><c>ideN:M</c></summary>
    Ide,

    /// <summary><c>nvmeN:M</c></summary>
    Nvme,
}

/// <summary>What sits in a slot, from its <c>deviceType</c>.</summary>
public enum DiskSlotKind
{
    /// <summary>A virtual disk: no deviceType (the default) or a *hardDisk / disk type.</summary>
    Disk,

    /// <summary>A CD/DVD drive (<c>cdrom-image</c>, <c>cdrom-raw</c>, <c>atapi-cdrom</c>).</summary>
    CdRom,

    /// <summary>Anything else (passthrough devices, floppies on odd buses).</summary>
    Other,
}

/// <summary>
/// One <c>bus N:M</c> slot of the .vmx with the keys the import needs. A slot with both
/// <c>fileName</c> and <c>filename</c> is still one slot: the last value wins (FB-14).
/// </summary>
/// <param name="Bus">scsi, sata, ide or nvme.</param>
/// <param name="Controller">N in <c>scsiN:M</c>.</param>
/// <param name="Unit">M in <c>scsiN:M</c>.</param>
/// <param name="Present">The slot's <c>present</c> flag; false when absent, as VMware reads it.</param>
/// <param name="DeviceType">The <c>deviceType</c> value as written, or null.</param>
/// <param name="FileName">The <c>fileName</c> value (any case of the key), or null.</param>
/// <param name="ControllerVirtualDev">The controller's <c>virtualDev</c> (<c>scsi0.virtualDev</c>, e.g. pvscsi, lsilogic), or null.</param>
public sealed record DiskSlot(
    DiskBus Bus,
    int Controller,
    int Unit,
    bool Present,
    string? DeviceType,
    string? FileName,
    string? ControllerVirtualDev)
{
    /// <summary>The slot name as VMware writes it, e.g. <c>scsi0:1</c>.</summary>
    public string Name => $"{Bus.ToString().ToLowerInvariant()}{Controller}:{Unit}";

    /// <summary>Disk, CD-ROM or other, from <see cref="DeviceType"/>.</summary>
    public DiskSlotKind Kind => DeviceType switch
    {
        null => DiskSlotKind.Disk,
        var t when t.Contains("cdrom", StringComparison.OrdinalIgnoreCase) => DiskSlotKind.CdRom,
        var t when t.Contains("disk", StringComparison.OrdinalIgnoreCase) => DiskSlotKind.Disk,
        _ => DiskSlotKind.Other,
    };
}
