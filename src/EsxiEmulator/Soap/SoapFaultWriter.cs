using System.Text;
using System.Xml;

using Microsoft.AspNetCore.Http;

namespace EsxiImport.Emulator.Soap;

/// <summary>
/// Writes vim25 SOAP faults in the shape ESXi sends (HTTP 500, <c>soapenv:Fault</c> with
/// <c>ServerFaultCode</c>, and a typed <c>&lt;{Type}Fault xmlns="urn:vim25" xsi:type="{Type}"&gt;</c>
/// detail). Both the SOAP handlers and the fault injector write faults only through here.
/// </summary>
public static class SoapFaultWriter
{
    public const string SoapEnvelopeNs = "http://schemas.xmlsoap.org/soap/envelope/";
    public const string VimNs = "urn:vim25";
    public const string XsiNs = "http://www.w3.org/2001/XMLSchema-instance";
    public const string XsdNs = "http://www.w3.org/2001/XMLSchema";
    public const string SoapEncNs = "http://schemas.xmlsoap.org/soap/encoding/";

    /// <summary>
    /// Renders a fault envelope. <paramref name="writeDetailFields"/> writes the fault's own fields
    /// (e.g. <c>&lt;object type="Folder"&gt;ha-folder-root&lt;/object&gt;</c>) inside the typed detail element.
    /// </summary>
    public static byte[] Render(string faultType, string faultString, Action<XmlWriter>? writeDetailFields = null)
    {
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false };
        using var buffer = new MemoryStream();
        using (var w = XmlWriter.Create(buffer, settings))
        {
            w.WriteStartDocument();
            w.WriteStartElement("soapenv", "Envelope", SoapEnvelopeNs);
            w.WriteAttributeString("xmlns", "soapenc", null, SoapEncNs);
            w.WriteAttributeString("xmlns", "xsd", null, XsdNs);
            w.WriteAttributeString("xmlns", "xsi", null, XsiNs);
            w.WriteStartElement("soapenv", "Body", SoapEnvelopeNs);
            w.WriteStartElement("soapenv", "Fault", SoapEnvelopeNs);
            w.WriteElementString("faultcode", "ServerFaultCode");
            w.WriteElementString("faultstring", faultString);
            w.WriteStartElement("detail");
            w.WriteStartElement(faultType + "Fault", VimNs);
            w.WriteAttributeString("xsi", "type", XsiNs, faultType);
            writeDetailFields?.Invoke(w);
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndDocument();
        }

        return buffer.ToArray();
    }

    /// <summary>Sends a fault as the whole response: status 500, <c>text/xml; charset=utf-8</c>.</summary>
    public static async Task WriteAsync(
        HttpContext context, string faultType, string faultString, Action<XmlWriter>? writeDetailFields = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var body = Render(faultType, faultString, writeDetailFields);
        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        context.Response.ContentType = "text/xml; charset=utf-8";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
