namespace EsxiImport.VmxParser.Descriptor;

/// <summary>
/// One extent line of a descriptor, e.g. <c>RW 41943040 VMFS "vm-flat.vmdk"</c> or
/// <c>RW 4192256 FLAT "vm-f001.vmdk" 0</c>. The mount checks that the file of every extent exists.
/// </summary>
/// <param name="Access"><c>RW</c>, <c>RDONLY</c> or <c>NOACCESS</c>, as written.</param>
/// <param name="Sectors">Size in 512-byte sectors.</param>
/// <param name="Type"><c>FLAT</c>, <c>SPARSE</c>, <c>ZERO</c>, <c>VMFS</c>, <c>VMFSSPARSE</c>, <c>VMFSRDM</c>, <c>VMFSRAW</c>, <c>SESPARSE</c>, <c>VSANSPARSE</c>..., upper-cased.</param>
/// <param name="FileName">The extent file relative to the descriptor's folder; null for <c>ZERO</c>.</param>
/// <param name="Offset">Start offset in sectors inside the file (FLAT extents may give one), or null.</param>
public sealed record VmdkExtent(string Access, long Sectors, string Type, string? FileName, long? Offset)
{
    /// <summary>Extent types whose file is a sparse or delta format rather than raw data.</summary>
    public bool IsSparse => Type is "SPARSE" or "VMFSSPARSE" or "SESPARSE" or "VSANSPARSE";
}
