using System.Globalization;
using System.Net;
using System.Text;

namespace EsxiImport.Emulator.Http;

/// <summary>
/// The HTML page /folder answers for a directory (and for the datacenter and datastore lists).
/// No studied client parses it; it mimics the shape of ESXi's page: a title, then a table of
/// links that carry the dcPath/dsName query so a browser can walk the tree.
/// </summary>
public static class DirectoryListing
{
    /// <summary>One row: the shown name, the link target (already encoded) and the size (null for folders).</summary>
    public sealed record Row(string Name, string Href, long? Size);

    public static string Render(string title, IEnumerable<Row> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\">\n<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\n");
        sb.Append("<title>").Append(WebUtility.HtmlEncode(title)).Append("</title></head>\n<body>\n<h1>Index of ").Append(WebUtility.HtmlEncode(title)).Append("</h1>\n");
        sb.Append("<table><tr><th>Name</th><th>Size</th></tr>\n");
        foreach (var row in rows)
        {
            sb.Append("<tr><td><a href=\"").Append(WebUtility.HtmlEncode(row.Href)).Append("\">").Append(WebUtility.HtmlEncode(row.Name)).Append("</a></td><td align=\"right\">")
              .Append(row.Size is { } size ? size.ToString(CultureInfo.InvariantCulture) : "-").Append("</td></tr>\n");
        }

        sb.Append("</table>\n</body></html>\n");
        return sb.ToString();
    }

    /// <summary>Percent-encodes a datastore path for a link, keeping '/' as the separator.</summary>
    public static string EncodePath(string path) =>
        string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
}
