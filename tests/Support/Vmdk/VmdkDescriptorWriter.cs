using System.Globalization;
using System.Text;

using EsxiImport.VmxParser.Descriptor;

namespace EsxiImport.TestSupport.Vmdk;

/// <summary>
/// Writes a descriptor in the layout VMware uses (header, extent description, disk database),
/// for the parser's round-trip tests. What it writes,
/// <see cref="VmdkReader.ParseDescriptor(string, string)"/> reads back to the same descriptor.
/// </summary>
public static class VmdkDescriptorWriter
{
    /// <summary>Renders the descriptor text, lines ending in <c>\n</c>.</summary>
    public static string Render(VmdkDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var sb = new StringBuilder();
        sb.Append("# Disk DescriptorFile\n");
        foreach (var (key, value) in descriptor.Header)
        {
            sb.Append(key).Append('=').Append(NeedsQuotes(key, value) ? "\"" + value + "\"" : value).Append('\n');
        }

        sb.Append("\n# Extent description\n");
        foreach (var e in descriptor.Extents)
        {
            sb.Append(e.Access).Append(' ').Append(e.Sectors.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(e.Type);
            if (e.FileName is not null)
            {
                sb.Append(" \"").Append(e.FileName).Append('"');
                if (e.Offset is { } offset)
                {
                    sb.Append(' ').Append(offset.ToString(CultureInfo.InvariantCulture));
                }
            }

            sb.Append('\n');
        }

        sb.Append("\n# The Disk Data Base\n#DDB\n\n");
        foreach (var (key, value) in descriptor.DiskDatabase)
        {
            sb.Append(key).Append(" = \"").Append(value).Append("\"\n");
        }

        return sb.ToString();
    }

    // VMware quotes the string-valued header keys and leaves numbers and CIDs bare; any value
    // that is not a plain token must be quoted to survive the trip back.
    private static bool NeedsQuotes(string key, string value) =>
        key.Equals("encoding", StringComparison.OrdinalIgnoreCase)
        || key.Equals("createType", StringComparison.OrdinalIgnoreCase)
        || key.Equals("parentFileNameHint", StringComparison.OrdinalIgnoreCase)
        || value.Length == 0
        || value.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '_' and not '.' and not '-')
        || (value[0] == '"' && value[^1] == '"');
}
