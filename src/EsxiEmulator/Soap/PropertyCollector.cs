using System.Globalization;

using EsxiImport.Vim25;

namespace EsxiImport.Emulator.Soap;

/// <summary>
/// The PropertyCollector: RetrieveProperties in one reply, RetrievePropertiesEx in pages of
/// <c>maxObjects</c> with a continuation token that is single-use and belongs to its session.
/// The traversal itself is <see cref="PropertyRetrieval"/>.
/// </summary>
internal static class PropertyCollector
{
    public const string Type = "PropertyCollector";

    public static SoapOutcome RetrieveProperties(SoapCall call) => Retrieve(call, paged: false);

    public static SoapOutcome RetrievePropertiesEx(SoapCall call) => Retrieve(call, paged: true);

    public static SoapOutcome ContinueRetrievePropertiesEx(SoapCall call)
    {
        var token = call.Method.TrimmedText("token") ?? "";
        var pending = call.State.Pending;

        // Tokens are single-use and belong to the session that got them.
        if (!pending.TryGetValue(token, out var rest) || rest.SessionId != call.Caller.Id || !pending.TryRemove(token, out _))
        {
            return SoapFault.InvalidProperty("token");
        }

        return Page(call, rest.Rest, rest.PageSize);
    }

    public static SoapOutcome CancelRetrievePropertiesEx(SoapCall call)
    {
        var token = call.Method.TrimmedText("token") ?? "";
        if (!call.State.Pending.TryGetValue(token, out var rest) || rest.SessionId != call.Caller.Id)
        {
            return SoapFault.InvalidProperty("token");
        }

        call.State.Pending.TryRemove(token, out _);
        return SoapReply.Void;
    }

    private static SoapOutcome Retrieve(SoapCall call, bool paged)
    {
        var m = call.Method;
        var specs = new List<PropertyFilterSpec>();
        foreach (var element in m.Children("specSet"))
        {
            if (PropertyFilterSpecXml.TryParse(element, out var spec) is { } invalid)
            {
                return SoapFault.InvalidArgument(invalid);
            }

            specs.Add(spec);
        }

        if (specs.Count == 0)
        {
            return SoapFault.InvalidArgument("specSet");
        }

        var state = call.State;
        var session = call.Caller;
        var retrieval = new PropertyRetrieval(r => state.Find(r, session), call.Version);
        if (retrieval.TryRetrieve(specs, out var contents) is { } retrieveFault)
        {
            return retrieveFault;
        }

        if (!paged)
        {
            return new SoapReply(w =>
            {
                foreach (var content in contents)
                {
                    WriteObjectContent(w, "returnval", content);
                }
            });
        }

        var options = m.Child("options");
        var maxText = options?.TrimmedText("maxObjects");
        var max = int.TryParse(maxText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed > 0 ? parsed : int.MaxValue;
        return Page(call, contents, max);
    }

    private static SoapOutcome Page(SoapCall call, List<ObjectContent> contents, int max)
    {
        if (contents.Count == 0)
        {
            return SoapReply.Void;
        }

        string? token = null;
        var page = contents;
        if (contents.Count > max)
        {
            page = contents.GetRange(0, max);
            token = Guid.NewGuid().ToString("N");
            call.State.Pending[token] = new PendingResult(call.Caller.Id, contents.GetRange(max, contents.Count - max), max);
        }

        return new SoapReply(w =>
        {
            w.Xml.WriteStartElement("returnval", VimXml.VimUri);
            if (token is not null)
            {
                w.Xml.WriteElementString("token", VimXml.VimUri, token);
            }

            foreach (var content in page)
            {
                WriteObjectContent(w, "objects", content);
            }

            w.Xml.WriteEndElement();
        });
    }

    private static void WriteObjectContent(VimXmlWriter w, string element, ObjectContent content)
    {
        var x = w.Xml;
        x.WriteStartElement(element, VimXml.VimUri);
        w.WriteMor("obj", content.Obj);
        foreach (var (name, value) in content.PropSet)
        {
            x.WriteStartElement("propSet", VimXml.VimUri);
            x.WriteElementString("name", VimXml.VimUri, name);
            w.WriteAnyType("val", value);
            x.WriteEndElement();
        }

        foreach (var missing in content.MissingSet)
        {
            x.WriteStartElement("missingSet", VimXml.VimUri);
            x.WriteElementString("path", VimXml.VimUri, missing.Path);
            x.WriteStartElement("fault", VimXml.VimUri);
            w.WriteAnyType("fault", missing.Fault);
            x.WriteElementString("localizedMessage", VimXml.VimUri, missing.Message);
            x.WriteEndElement();
            x.WriteEndElement();
        }

        x.WriteEndElement();
    }
}
