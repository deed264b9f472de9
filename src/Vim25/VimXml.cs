using System.Xml.Linq;

namespace EsxiImport.Vim25;

/// <summary>
/// The XML namespaces of vim25 SOAP and tolerant element lookup: by namespace URI and local
/// name, never by prefix, so pyvmomi's <c>soapenv:</c> envelopes, govmomi's unprefixed ones and
/// servers that leave elements unqualified all read the same.
/// </summary>
public static class VimXml
{
    public const string SoapEnvelopeUri = "http://schemas.xmlsoap.org/soap/envelope/";
    public const string VimUri = "urn:vim25";
    public const string XsiUri = "http://www.w3.org/2001/XMLSchema-instance";
    public const string XsdUri = "http://www.w3.org/2001/XMLSchema";
    public const string SoapEncodingUri = "http://schemas.xmlsoap.org/soap/encoding/";

    public static readonly XNamespace Soap = SoapEnvelopeUri;
    public static readonly XNamespace Vim = VimUri;
    public static readonly XNamespace Xsi = XsiUri;
    public static readonly XNamespace Xsd = XsdUri;

    /// <summary>Child elements with this local name in urn:vim25 or in no namespace (clients and servers differ).</summary>
    public static IEnumerable<XElement> Children(this XElement parent, string name) =>
        parent.Elements().Where(e => e.Name.LocalName == name && (e.Name.Namespace == Vim || e.Name.Namespace == XNamespace.None));

    public static XElement? Child(this XElement parent, string name) => parent.Children(name).FirstOrDefault();

    public static string? ChildText(this XElement parent, string name) => parent.Child(name)?.Value;

    /// <summary>A field's text, trimmed; null when absent.</summary>
    public static string? TrimmedText(this XElement parent, string name) => parent.ChildText(name)?.Trim();

    /// <summary>A boolean field: <c>true</c>/<c>1</c> or <c>false</c>/<c>0</c>; anything else (or nothing) is <paramref name="fallback"/>.</summary>
    public static bool Flag(this XElement parent, string name, bool fallback = false) => parent.TrimmedText(name) switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        _ => fallback,
    };

    /// <summary>The local part of <c>xsi:type</c> (whatever prefix the writer chose), or null.</summary>
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
