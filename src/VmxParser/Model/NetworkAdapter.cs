namespace EsxiImport.VmxParser.Model;

/// <summary>
/// One <c>ethernetN</c> adapter. The MAC is taken from the key its address type names:
/// <c>static</c> keeps it in <c>address</c>, <c>generated</c> and <c>vpx</c> (vCenter-assigned)
/// in <c>generatedAddress</c> (FB-35: the original MAC must survive the import).
/// </summary>
/// <param name="Index">N in <c>ethernetN</c>.</param>
/// <param name="Present">The <c>present</c> flag; false when absent.</param>
/// <param name="VirtualDev">Adapter model (<c>vmxnet3</c>, <c>e1000e</c>, ...), or null.</param>
/// <param name="NetworkName">Port group name, or null.</param>
/// <param name="AddressType">The <c>addressType</c> as written, or null.</param>
/// <param name="MacAddress">The MAC from the key the address type names, or null when that key is missing.</param>
public sealed record NetworkAdapter(
    int Index,
    bool Present,
    string? VirtualDev,
    string? NetworkName,
    string? AddressType,
    string? MacAddress)
{
    /// <summary>The device name as VMware writes it, e.g. <c>ethernet0</c>.</summary>
    public string Name => $"ethernet{Index}";
}

/// <summary>One <c>serialN</c> port.</summary>
/// <param name="Index">N in <c>serialN</c>.</param>
/// <param name="Present">The <c>present</c> flag; false when absent.</param>
/// <param name="FileType">Backing kind (<c>device</c>, <c>file</c>, <c>pipe</c>, <c>network</c>), or null.</param>
/// <param name="FileName">The backing's device, file, pipe or URI, or null.</param>
public sealed record SerialPort(int Index, bool Present, string? FileType, string? FileName)
{
    /// <summary>The device name as VMware writes it, e.g. <c>serial0</c>.</summary>
    public string Name => $"serial{Index}";
}
