using System.Xml;
using System.Xml.Linq;

namespace EsxiImport.Vim25;

/// <summary>A vim25 fault: its type (<c>InvalidLogin</c>, <c>ManagedObjectNotFound</c>, …) and faultstring.</summary>
public sealed record VimFault(string Type, string Message);

/// <summary>
/// The shape of a vim25 fault, as ESXi sends it: <c>soapenv:Fault</c> with <c>ServerFaultCode</c>,
/// the faultstring, and a typed <c>&lt;{Type}Fault xmlns="urn:vim25" xsi:type="{Type}"&gt;</c> detail.
/// The emulated host writes faults only through <see cref="Render"/>; the client reads them with <see cref="Parse"/>.
/// </summary>
public static class SoapFaults
{
    /// <summary>
    /// A fault envelope. <paramref name="writeDetailFields"/> writes the fault's own fields (e.g.
    /// <c>&lt;obj type="Folder"&gt;ha-folder-root&lt;/obj&gt;</c>) inside the typed detail element.
    /// </summary>
    public static byte[] Render(string faultType, string faultString, Action<XmlWriter>? writeDetailFields = null) =>
        SoapEnvelope.Answer(w =>
        {
            w.WriteStartElement("soapenv", "Fault", VimXml.SoapEnvelopeUri);
            w.WriteElementString("faultcode", "ServerFaultCode");
            w.WriteElementString("faultstring", faultString);
            w.WriteStartElement("detail");
            w.WriteStartElement(faultType + "Fault", VimXml.VimUri);
            w.WriteAttributeString("xsi", "type", VimXml.XsiUri, faultType);
            writeDetailFields?.Invoke(w);
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
        });

    /// <summary>Reads a fault element: the type from the detail's <c>xsi:type</c>, else its name minus <c>Fault</c>, else the faultcode.</summary>
    public static VimFault Parse(XElement fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        var message = fault.Elements().FirstOrDefault(e => e.Name.LocalName == "faultstring")?.Value ?? "";
        var detail = fault.Elements().FirstOrDefault(e => e.Name.LocalName == "detail")?.Elements().FirstOrDefault();
        var type = detail?.XsiType()
            ?? (detail?.Name.LocalName is { } n && n.EndsWith("Fault", StringComparison.Ordinal) ? n[..^"Fault".Length] : null)
            ?? fault.Elements().FirstOrDefault(e => e.Name.LocalName == "faultcode")?.Value
            ?? "";
        return new VimFault(type, message);
    }
}
