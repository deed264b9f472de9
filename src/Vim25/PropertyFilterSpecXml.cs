using System.Xml.Linq;

namespace EsxiImport.Vim25;

/// <summary>
/// The XML of property-collector specs, both ways: <see cref="ToElement"/> writes a <c>specSet</c>
/// in WSDL field order with <c>xsi:type</c> on every selectSet entry (the listing client), and
/// <see cref="TryParse"/> reads one back (the emulated host), so both sides agree by construction.
/// </summary>
public static class PropertyFilterSpecXml
{
    public static XElement ToElement(PropertyFilterSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new(VimXml.Vim + "specSet",
            spec.PropSet.Select(p => new XElement(VimXml.Vim + "propSet",
                new XElement(VimXml.Vim + "type", p.Type),
                p.All ? new XElement(VimXml.Vim + "all", "true") : null,
                p.PathSet.Select(path => new XElement(VimXml.Vim + "pathSet", path)))),
            spec.ObjectSet.Select(o => new XElement(VimXml.Vim + "objectSet",
                o.Obj.ToElement(VimXml.Vim + "obj"),
                new XElement(VimXml.Vim + "skip", o.Skip ? "true" : "false"),
                o.SelectSet.Select(Selection))),
            spec.ReportMissingObjectsInResults ? new XElement(VimXml.Vim + "reportMissingObjectsInResults", "true") : null);
    }

    /// <summary>
    /// Reads one <c>specSet</c> element. Returns null, or the name of the first argument that is
    /// missing or malformed (<c>propSet.type</c>, <c>objectSet.obj</c>, <c>selectSet.name</c>, …),
    /// which a host reports as InvalidArgument.
    /// </summary>
    public static string? TryParse(XElement element, out PropertyFilterSpec spec)
    {
        ArgumentNullException.ThrowIfNull(element);
        spec = null!;
        var props = new List<PropertySpec>();
        foreach (var p in element.Children("propSet"))
        {
            var type = VimXml.TrimmedText(p, "type");
            if (string.IsNullOrEmpty(type))
            {
                return "propSet.type";
            }

            props.Add(new PropertySpec(type, p.Children("pathSet").Select(e => e.Value.Trim()).ToList(), VimXml.Flag(p, "all")));
        }

        var objects = new List<ObjectSpec>();
        foreach (var o in element.Children("objectSet"))
        {
            if (ManagedObjectReference.From(o.Child("obj")) is not { } obj)
            {
                return "objectSet.obj";
            }

            if (TryParseSelectSet(o, out var selectSet) is { } invalid)
            {
                return invalid;
            }

            objects.Add(new ObjectSpec(obj, VimXml.Flag(o, "skip"), selectSet));
        }

        if (props.Count == 0 || objects.Count == 0)
        {
            return props.Count == 0 ? "propSet" : "objectSet";
        }

        spec = new PropertyFilterSpec(props, objects, VimXml.Flag(element, "reportMissingObjectsInResults"));
        return null;
    }

    // Servers misread a selectSet entry without xsi:type, so plain SelectionSpecs carry one too.
    private static XElement Selection(SelectionSpec s) => s switch
    {
        TraversalSpec t => new XElement(VimXml.Vim + "selectSet",
            new XAttribute(VimXml.Xsi + "type", "TraversalSpec"),
            t.Name is null ? null : new XElement(VimXml.Vim + "name", t.Name),
            new XElement(VimXml.Vim + "type", t.Type),
            new XElement(VimXml.Vim + "path", t.Path),
            new XElement(VimXml.Vim + "skip", t.Skip ? "true" : "false"),
            t.SelectSet.Select(Selection)),
        _ => new XElement(VimXml.Vim + "selectSet", new XAttribute(VimXml.Xsi + "type", "SelectionSpec"), new XElement(VimXml.Vim + "name", s.Name)),
    };

    private static string? TryParseSelectSet(XElement parent, out List<SelectionSpec> result)
    {
        result = [];
        foreach (var s in parent.Children("selectSet"))
        {
            var name = VimXml.TrimmedText(s, "name");
            var isTraversal = s.XsiType() == "TraversalSpec" || (s.Child("path") is not null && s.Child("type") is not null);
            if (!isTraversal)
            {
                if (string.IsNullOrEmpty(name))
                {
                    return "selectSet.name";
                }

                result.Add(new SelectionSpec(name));
                continue;
            }

            var type = VimXml.TrimmedText(s, "type");
            var path = VimXml.TrimmedText(s, "path");
            if (string.IsNullOrEmpty(type) || string.IsNullOrEmpty(path))
            {
                return string.IsNullOrEmpty(type) ? "selectSet.type" : "selectSet.path";
            }

            if (TryParseSelectSet(s, out var nested) is { } invalid)
            {
                return invalid;
            }

            result.Add(new TraversalSpec(name, type, path, VimXml.Flag(s, "skip"), nested));
        }

        return null;
    }
}
