using System.Xml;
using System.Xml.Linq;

using EsxiImport.Diagnostics;
using EsxiImport.Emulator.Inventory;

namespace EsxiImport.Emulator.Soap;

/// <summary>
/// A parsed vim25 request: the method element inside <c>Envelope/Body</c>. Elements are found by
/// namespace URI and local name, never by prefix, so pyvmomi's <c>soapenv:</c> envelopes,
/// govmomi's unprefixed ones, a <c>Header</c>, and unknown attributes such as pyvmomi 8's
/// <c>versionId</c> all parse the same.
/// </summary>
internal sealed class SoapRequest
{
    /// <summary>
    /// The deepest element nesting accepted. vim25 requests stay far below it (a PropertyCollector
    /// call with nested traversal specs is some 15 levels); deeper documents are refused before
    /// the tree is built, which costs quadratic time in the nesting (100,000 levels: 18 s).
    /// </summary>
    public const int MaxDepth = 100;

    private static readonly XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        MaxCharactersInDocument = 64L << 20,
    };

    private SoapRequest(XElement method) => Method = method;

    /// <summary>The method element, e.g. <c>{urn:vim25}RetrievePropertiesEx</c>.</summary>
    public XElement Method { get; }

    public string Name => Method.Name.LocalName;

    /// <summary>Parses a request body; a body that is not a vim25 SOAP request yields an InvalidRequest fault.</summary>
    public static SoapOutcome? TryParse(byte[] body, out SoapRequest request)
    {
        request = null!;
        XDocument doc;
        try
        {
            if (TooDeep(body))
            {
                return SoapFault.InvalidRequest(Messages.Format("emulator.soap.too-deep", ("limit", MaxDepth)));
            }

            using var reader = XmlReader.Create(new MemoryStream(body), ReaderSettings);
            doc = XDocument.Load(reader);
        }
        catch (XmlException e)
        {
            return SoapFault.InvalidRequest(e.Message);
        }

        XNamespace soap = SoapFaultWriter.SoapEnvelopeNs;
        if (doc.Root is not { } root || root.Name != soap + "Envelope")
        {
            return SoapFault.InvalidRequest("the document is not a SOAP envelope");
        }

        var method = root.Element(soap + "Body")?.Elements().FirstOrDefault();
        if (method is null || method.Name.NamespaceName != SoapFaultWriter.VimNs)
        {
            return SoapFault.InvalidRequest("the SOAP body holds no urn:vim25 method");
        }

        request = new SoapRequest(method);
        return null;
    }

    /// <summary>One forward pass of the reader, stopping at the first element deeper than <see cref="MaxDepth"/>.</summary>
    private static bool TooDeep(byte[] body)
    {
        using var reader = XmlReader.Create(new MemoryStream(body), ReaderSettings);
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.Depth >= MaxDepth)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Children named <paramref name="name"/> in urn:vim25 (or unqualified, which some clients send).</summary>
    public static IEnumerable<XElement> Children(XElement parent, string name) =>
        parent.Elements().Where(e => e.Name.LocalName == name && (e.Name.NamespaceName == SoapFaultWriter.VimNs || e.Name.NamespaceName.Length == 0));

    public static XElement? Child(XElement parent, string name) => Children(parent, name).FirstOrDefault();

    public static string? Text(XElement parent, string name) => Child(parent, name)?.Value.Trim();

    public static bool Bool(XElement parent, string name, bool fallback) => Text(parent, name) switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        _ => fallback,
    };

    /// <summary>Reads a ManagedObjectReference element; the <c>type</c> attribute is mandatory.</summary>
    public static ManagedObjectRef? Mor(XElement? element)
    {
        var type = element?.Attribute("type")?.Value;
        return element is null || string.IsNullOrEmpty(type) ? null : new ManagedObjectRef(type, element.Value.Trim());
    }

    /// <summary>The local part of an element's <c>xsi:type</c> (<c>TraversalSpec</c> from <c>vim25:TraversalSpec</c>), or null.</summary>
    public static string? XsiType(XElement element)
    {
        var value = element.Attribute(XName.Get("type", SoapFaultWriter.XsiNs))?.Value;
        if (value is null)
        {
            return null;
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? value : value[(colon + 1)..];
    }
}
