using EsxiImport.VmxParser.Syntax;
using EsxiImport.VmxParser.Warnings;

namespace EsxiImport.VmxParser.Model;

/// <summary>
/// What the mount and the import need from a .vmx. Absent keys are null (the consumer picks
/// its default); values that cannot be read are null too, with a warning in
/// <see cref="Warnings"/> instead of a failure, because one odd key must not stop a mount (FB-15).
/// </summary>
/// <param name="DisplayName"><c>displayName</c>.</param>
/// <param name="GuestOs"><c>guestOS</c> (e.g. <c>windows2019srv-64</c>, <c>otherlinux-64</c>).</param>
/// <param name="MemoryMb"><c>memSize</c> in MiB.</param>
/// <param name="Firmware"><c>firmware</c> (<c>efi</c> or <c>bios</c>); null means BIOS.</param>
/// <param name="NumCpus"><c>numvcpus</c>.</param>
/// <param name="CoresPerSocket"><c>cpuid.coresPerSocket</c>.</param>
/// <param name="UuidBios"><c>uuid.bios</c> as written (<c>56 4d ... -...</c>), the guest's SMBIOS UUID.</param>
/// <param name="Slots">Every disk and CD-ROM slot, ordered by bus, controller, unit.</param>
/// <param name="NetworkAdapters">Every <c>ethernetN</c>, ordered by N.</param>
/// <param name="SerialPorts">Every <c>serialN</c>, ordered by N.</param>
/// <param name="Warnings">The document's syntax warnings followed by the model's.</param>
public sealed record VmConfig(
    string? DisplayName,
    string? GuestOs,
    long? MemoryMb,
    string? Firmware,
    int? NumCpus,
    int? CoresPerSocket,
    string? UuidBios,
    IReadOnlyList<DiskSlot> Slots,
    IReadOnlyList<NetworkAdapter> NetworkAdapters,
    IReadOnlyList<SerialPort> SerialPorts,
    IReadOnlyList<ParseWarning> Warnings)
{
    /// <summary>The slots that hold virtual disks and are present.</summary>
    public IEnumerable<DiskSlot> Disks => Slots.Where(s => s.Present && s.Kind == DiskSlotKind.Disk);

    /// <summary>Reads raw .vmx bytes (honouring <c>.encoding</c>) into the model.</summary>
    public static VmConfig Parse(ReadOnlySpan<byte> vmx) => VmConfigReader.Read(VmxDocument.Parse(vmx));

    /// <summary>Reads already decoded .vmx text into the model.</summary>
    public static VmConfig Parse(string vmx) => VmConfigReader.Read(VmxDocument.Parse(vmx));
}
