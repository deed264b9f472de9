using System.Xml;
using System.Xml.Linq;

using EsxiImport.Diagnostics;
using EsxiImport.Vim25;

namespace EsxiImport.Emulator.Soap;

/// <summary>
/// A parsed vim25 request: the method element inside <c>Envelope/Body</c>, found by namespace URI
/// and local name (<see cref="VimXml"/>), so pyvmomi's <c>soapenv:</c> envelopes, govmomi's
/// unprefixed ones, a <c>Header</c>, and unknown attributes such as pyvmomi 8's <c>versionId</c>
/// all parse the same.
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

    /// <summary>The object the method is called on (<c>_this</c>), or null when the request names none.</summary>
    public ManagedObjectReference? This => ManagedObjectReference.From(Method.Child("_this"));

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

        if (doc.Root is not { } root || root.Name != VimXml.Soap + "Envelope")
        {
            return SoapFault.InvalidRequest("the document is not a SOAP envelope");
        }

        var method = SoapEnvelope.BodyContent(doc);
        if (method is null || method.Name.Namespace != VimXml.Vim)
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
}
