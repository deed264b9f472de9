using System.Xml;

using EsxiImport.Vim25;

namespace EsxiImport.Emulator.Soap;

/// <summary>What a SOAP method handler produced: a reply body, or a fault. Faults are values, not exceptions, so every path that ends in a fault is visible in the handler's return type.</summary>
internal abstract record SoapOutcome;

/// <summary>A successful reply; <see cref="WriteReturn"/> writes the children of <c>&lt;XResponse&gt;</c> (nothing for void methods).</summary>
internal sealed record SoapReply(Action<VimXmlWriter>? WriteReturn) : SoapOutcome
{
    public static readonly SoapReply Void = new((Action<VimXmlWriter>?)null);
}

/// <summary>A vim25 fault: type (e.g. <c>InvalidLogin</c>), faultstring, and the detail fields in WSDL order.</summary>
internal sealed record SoapFault(string Type, string Message, Action<XmlWriter>? Detail = null) : SoapOutcome
{
    public static SoapFault NotAuthenticated(ManagedObjectReference target) => new("NotAuthenticated",
        EsxiImport.Diagnostics.Messages.Text("emulator.soap.not-authenticated"),
        w =>
        {
            w.WriteStartElement("object", VimXml.VimUri);
            w.WriteAttributeString("type", target.Type);
            w.WriteString(target.Value);
            w.WriteEndElement();
            w.WriteElementString("privilegeId", VimXml.VimUri, "System.View");
        });

    public static SoapFault ObjectNotFound(ManagedObjectReference target) => new("ManagedObjectNotFound",
        EsxiImport.Diagnostics.Messages.Format("emulator.soap.object-not-found", ("type", target.Type), ("id", target.Value)),
        w =>
        {
            w.WriteStartElement("obj", VimXml.VimUri);
            w.WriteAttributeString("type", target.Type);
            w.WriteString(target.Value);
            w.WriteEndElement();
        });

    public static SoapFault InvalidArgument(string parameter) => new("InvalidArgument",
        EsxiImport.Diagnostics.Messages.Format("emulator.soap.invalid-argument", ("name", parameter)),
        w => w.WriteElementString("invalidProperty", VimXml.VimUri, parameter));

    public static SoapFault InvalidProperty(string name) => new("InvalidProperty",
        EsxiImport.Diagnostics.Messages.Format("emulator.soap.invalid-property", ("name", name)),
        w => w.WriteElementString("name", VimXml.VimUri, name));

    public static SoapFault InvalidRequest(string reason) => new("InvalidRequest",
        EsxiImport.Diagnostics.Messages.Format("emulator.soap.invalid-request", ("reason", reason)));
}
