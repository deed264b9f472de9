using System.Globalization;
using System.Text;

namespace EsxiImport.Emulator.Datastore;

/// <summary>
/// The text descriptor of a generated disk: a monolithicFlat-style descriptor with one VMFS
/// extent, as ESXi writes for a thin or thick VMFS disk. Kept in one place so it can later be
/// produced by the shared VmxParser descriptor renderer instead.
/// </summary>
public static class DescriptorText
{
    /// <summary>Renders the descriptor for an extent file of <paramref name="capacityBytes"/> bytes.</summary>
    public static string Render(string flatFileName, long capacityBytes, string adapterType, ulong cid)
    {
        var sectors = capacityBytes / 512;
        var cylinders = Math.Max(1, sectors / (255 * 63));
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append("# Disk DescriptorFile\n");
        sb.Append("version=1\n");
        sb.Append("encoding=\"UTF-8\"\n");
        sb.Append("CID=").Append(((uint)cid).ToString("x8", inv)).Append('\n');
        sb.Append("parentCID=ffffffff\n");
        sb.Append("createType=\"vmfs\"\n\n");
        sb.Append("# Extent description\n");
        sb.Append("RW ").Append(sectors.ToString(inv)).Append(" VMFS \"").Append(flatFileName).Append("\"\n\n");
        sb.Append("# The Disk Data Base \n#DDB\n\n");
        sb.Append("ddb.adapterType = \"").Append(adapterType).Append("\"\n");
        sb.Append("ddb.geometry.cylinders = \"").Append(cylinders.ToString(inv)).Append("\"\n");
        sb.Append("ddb.geometry.heads = \"255\"\n");
        sb.Append("ddb.geometry.sectors = \"63\"\n");
        sb.Append("ddb.longContentID = \"").Append(cid.ToString("x16", inv)).Append("0000000000000000\"\n");
        sb.Append("ddb.thinProvisioned = \"1\"\n");
        sb.Append("ddb.virtualHWVersion = \"19\"\n");
        return sb.ToString();
    }
}
