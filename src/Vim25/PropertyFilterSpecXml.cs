using System.Xml.Linq;

namespace EsxiImport.Listing.Soap;

/// <summary>Serializes property-collector specs in WSDL field order, with <c>xsi:type</c> on every selectSet entry.</summary>
internal static class PropertySpecXml
{
    public static XElement FilterSpec(PropertyFilterSpec spec) => new(VimNames.Vim + "specSet",
        spec.PropSet.Select(p => new XElement(VimNames.Vim + "propSet",
            new XElement(VimNames.Vim + "type", p.Type),
            p.All ? new XElement(VimNames.Vim + "all", "true") : null,
            p.PathSet.Select(path => new XElement(VimNames.Vim + "pathSet", path)))),
        spec.ObjectSet.Select(o => new XElement(VimNames.Vim + "objectSet",
            o.Obj.ToElement(VimNames.Vim + "obj"),
            new XElement(VimNames.Vim + "skip", o.Skip ? "true" : "false"),
            o.SelectSet.Select(Selection))));

    // Servers misread a selectSet entry without xsi:type, so plain SelectionSpecs carry one too.
    private static XElement Selection(SelectionSpec s) => s switch
    {
        TraversalSpec t => new XElement(VimNames.Vim + "selectSet",
            new XAttribute(VimNames.Xsi + "type", "TraversalSpec"),
            t.Name is null ? null : new XElement(VimNames.Vim + "name", t.Name),
            new XElement(VimNames.Vim + "type", t.Type),
            new XElement(VimNames.Vim + "path", t.Path),
            new XElement(VimNames.Vim + "skip", t.Skip ? "true" : "false"),
            t.SelectSet.Select(Selection)),
        _ => new XElement(VimNames.Vim + "selectSet", new XAttribute(VimNames.Xsi + "type", "SelectionSpec"), new XElement(VimNames.Vim + "name", s.Name)),
    };
}
