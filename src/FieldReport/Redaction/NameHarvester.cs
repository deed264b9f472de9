using System.Xml;
using System.Xml.Linq;

namespace EsxiImport.FieldReport.Redaction;

/// <summary>
/// Finds the names a redactor must know in what a host answers: the host of a URL, the
/// <c>dcPath</c> and <c>dsName</c> of a <c>/folder</c> request, and in SOAP property results the
/// <c>name</c> of every datacenter, datastore, host and VM, the datastores of
/// <c>config.datastoreUrl</c> and the datastore of every <c>[datastore] path</c>.
/// </summary>
public static class NameHarvester
{
    private static readonly XmlReaderSettings Settings = new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };

    private static readonly Dictionary<string, NameKind> KindByType = new(StringComparer.Ordinal)
    {
        ["VirtualMachine"] = NameKind.Vm,
        ["Datastore"] = NameKind.Datastore,
        ["Datacenter"] = NameKind.Datacenter,
        ["HostSystem"] = NameKind.Host,
        ["ComputeResource"] = NameKind.Host,
    };

    /// <summary>Registers the host and the datastore query names of <paramref name="url"/>.</summary>
    public static void FromUrl(Redactor redactor, Uri url)
    {
        ArgumentNullException.ThrowIfNull(redactor);
        ArgumentNullException.ThrowIfNull(url);
        redactor.Add(NameKind.Host, url.IdnHost);
        foreach (var (name, value) in Query.Parse(url.Query))
        {
            switch (name)
            {
                case "dcPath" or "dcName":
                    redactor.Add(NameKind.Datacenter, value);
                    break;
                case "dsName":
                    redactor.Add(NameKind.Datastore, value);
                    break;
            }
        }
    }

    /// <summary>Registers the names in a SOAP response; text that is not XML teaches nothing.</summary>
    public static void FromSoap(Redactor redactor, string xml)
    {
        ArgumentNullException.ThrowIfNull(redactor);
        XDocument doc;
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), Settings);
            doc = XDocument.Load(reader);
        }
        catch (XmlException)
        {
            return;
        }

        foreach (var obj in doc.Descendants().Where(e => e.Name.LocalName == "obj"))
        {
            var kind = KindByType.TryGetValue((string?)obj.Attribute("type") ?? "", out var k) ? k : (NameKind?)null;
            foreach (var prop in obj.Parent?.Elements().Where(e => e.Name.LocalName == "propSet") ?? [])
            {
                var path = prop.Elements().FirstOrDefault(e => e.Name.LocalName == "name")?.Value;
                var val = prop.Elements().FirstOrDefault(e => e.Name.LocalName == "val");
                if (val is null)
                {
                    continue;
                }

                if (path is "name" or "summary.name" or "config.name" && kind is { } named)
                {
                    redactor.Add(named, val.Value);
                }
            }
        }

        foreach (var pair in doc.Descendants().Where(e => e.Name.LocalName == "VirtualMachineConfigInfoDatastoreUrlPair"))
        {
            if (pair.Elements().FirstOrDefault(e => e.Name.LocalName == "name")?.Value is { } datastore)
            {
                redactor.Add(NameKind.Datastore, datastore);
            }
        }

        foreach (var text in doc.DescendantNodes().OfType<XText>())
        {
            if (DatastoreOf(text.Value) is { } datastore)
            {
                redactor.Add(NameKind.Datastore, datastore);
            }
        }
    }

    /// <summary>The datastore of a <c>[datastore] path</c> text, else null.</summary>
    internal static string? DatastoreOf(string text)
    {
        var trimmed = text.TrimStart();
        if (!trimmed.StartsWith('['))
        {
            return null;
        }

        var end = trimmed.IndexOf(']', StringComparison.Ordinal);
        return end > 1 ? trimmed[1..end] : null;
    }
}
