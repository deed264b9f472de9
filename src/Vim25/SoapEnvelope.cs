using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace EsxiImport.Vim25;

/// <summary>
/// The SOAP 1.1 envelope around a vim25 call: the request a client posts, the reply or fault a
/// host answers, and where the content sits when either side reads one.
/// </summary>
public static class SoapEnvelope
{
    /// <summary>A request as a client posts it: <paramref name="method"/> alone in the body, UTF-8 without BOM.</summary>
    public static byte[] Request(XElement method)
    {
        var envelope = new XDocument(
            new XElement(VimXml.Soap + "Envelope",
                new XAttribute(XNamespace.Xmlns + "soapenv", VimXml.SoapEnvelopeUri),
                new XAttribute(XNamespace.Xmlns + "xsd", VimXml.XsdUri),
                new XAttribute(XNamespace.Xmlns + "xsi", VimXml.XsiUri),
                new XElement(VimXml.Soap + "Body", method)));
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
        {
            envelope.Save(writer);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// A host's answer: the envelope with ESXi's prefixes (<c>soapenv</c>, <c>soapenc</c>, <c>xsd</c>,
    /// <c>xsi</c>) and the body that <paramref name="writeBody"/> writes, unindented.
    /// </summary>
    public static byte[] Answer(Action<XmlWriter> writeBody)
    {
        ArgumentNullException.ThrowIfNull(writeBody);
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false };
        using var buffer = new MemoryStream();
        using (var w = XmlWriter.Create(buffer, settings))
        {
            w.WriteStartDocument();
            w.WriteStartElement("soapenv", "Envelope", VimXml.SoapEnvelopeUri);
            w.WriteAttributeString("xmlns", "soapenc", null, VimXml.SoapEncodingUri);
            w.WriteAttributeString("xmlns", "xsd", null, VimXml.XsdUri);
            w.WriteAttributeString("xmlns", "xsi", null, VimXml.XsiUri);
            w.WriteStartElement("soapenv", "Body", VimXml.SoapEnvelopeUri);
            writeBody(w);
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndDocument();
        }

        return buffer.ToArray();
    }

    /// <summary>The first element in the body (the method, its response or a fault); null when the document is not an envelope or the body is empty.</summary>
    public static XElement? BodyContent(XDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document.Root is { } root && root.Name == VimXml.Soap + "Envelope"
            ? root.Element(VimXml.Soap + "Body")?.Elements().FirstOrDefault()
            : null;
    }
}
