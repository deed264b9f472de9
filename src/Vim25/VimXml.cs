using System.Xml.Linq;

namespace EsxiImport.Listing.Soap;

/// <summary>Namespaces of vim25 SOAP and tolerant element lookup: by namespace URI and local name, never by prefix.</summary>
public static class VimNames
{
    public static readonly XNamespace Soap = "http://schemas.xmlsoap.org/soap/envelope/";
    public static readonly XNamespace Vim = "urn:vim25";
    public static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";
    public static readonly XNamespace Xsd = "http://www.w3.org/2001/XMLSchema";

    /// <summary>Child elements with this local name in urn:vim25 or in no namespace (servers differ).</summary>
    public static IEnumerable<XElement> Children(this XElement parent, string name) =>
        parent.Elements().Where(e => e.Name.LocalName == name && (e.Name.Namespace == Vim || e.Name.Namespace == XNamespace.None));

    public static XElement? Child(this XElement parent, string name) => parent.Children(name).FirstOrDefault();

    public static string? ChildText(this XElement parent, string name) => parent.Child(name)?.Value;

    /// <summary>The local part of <c>xsi:type</c> (whatever prefix the server chose), or null.</summary>
    public static string? XsiType(this XElement element)
    {
        var value = element.Attribute(Xsi + "type")?.Value;
        if (value is null)
        {
            return null;
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? value : value[(colon + 1)..];
    }
}
