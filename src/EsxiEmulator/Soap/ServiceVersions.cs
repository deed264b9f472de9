using System.Text;
using System.Xml;

using EsxiImport.Emulator.Inventory;

namespace EsxiImport.Emulator.Soap;

/// <summary>
/// <c>/sdk/vimServiceVersions.xml</c>: the host's API version plus every older id a client may
/// prefer. pyvmomi matches ids by exact string, most preferred first, so 6.7.1 must be listed for
/// Debian's pyvmomi 6.7.1 to negotiate a modern version.
/// </summary>
internal static class ServiceVersions
{
    private static readonly string[] KnownIds =
    [
        "8.0.3.0", "8.0.2.0", "8.0.1.0", "8.0.0.2", "8.0.0.1", "8.0.0.0", "7.0.3.0", "7.0.2.0", "7.0.1.0", "7.0.0.0",
        "6.7.3", "6.7.2", "6.7.1", "6.7", "6.5", "6.0", "5.5",
    ];

    /// <summary>The version ids this host accepts in SOAPAction, newest first.</summary>
    public static IReadOnlyList<ApiVersion> Supported(ApiVersion current) =>
        [current, .. KnownIds.Select(id => new ApiVersion(id)).Where(v => v < current)];

    /// <summary>The version a request is served in: its SOAPAction version when the host knows it, else the host's own.</summary>
    public static ApiVersion Negotiate(string? soapAction, ApiVersion current)
    {
        var action = soapAction?.Trim().Trim('"') ?? "";
        const string prefix = "urn:vim25/";
        if (action.StartsWith(prefix, StringComparison.Ordinal) && ApiVersion.TryParse(action[prefix.Length..], out var v) && v <= current)
        {
            return v;
        }

        return current;
    }

    public static byte[] Document(ApiVersion current)
    {
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, IndentChars = " " };
        using var buffer = new MemoryStream();
        using (var w = XmlWriter.Create(buffer, settings))
        {
            w.WriteStartDocument();
            w.WriteStartElement("namespaces");
            w.WriteAttributeString("version", "1.0");
            w.WriteStartElement("namespace");
            w.WriteElementString("name", "urn:vim25");
            w.WriteElementString("version", current.Id);
            w.WriteStartElement("priorVersions");
            foreach (var prior in Supported(current).Skip(1))
            {
                w.WriteElementString("version", prior.Id);
            }

            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndDocument();
        }

        return buffer.ToArray();
    }
}
