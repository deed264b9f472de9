using System.Xml.Linq;

using EsxiImport.Emulator.Inventory;

namespace EsxiImport.Emulator.Soap;

/// <summary>A PropertySpec: which properties to collect from objects of <see cref="Type"/> (or a subtype).</summary>
internal sealed record PropertySpec(string Type, bool All, IReadOnlyList<string> PathSet);

/// <summary>A SelectionSpec: by itself only a name that refers to a TraversalSpec of the same filter.</summary>
internal record SelectionSpec(string? Name);

/// <summary>A TraversalSpec: from objects of <see cref="Type"/>, follow the references in property <see cref="Path"/>.</summary>
internal sealed record TraversalSpec(string? Name, string Type, string Path, bool Skip, IReadOnlyList<SelectionSpec> SelectSet) : SelectionSpec(Name);

/// <summary>An ObjectSpec: where collection starts.</summary>
internal sealed record ObjectSpec(ManagedObjectRef Obj, bool Skip, IReadOnlyList<SelectionSpec> SelectSet);

/// <summary>A PropertyFilterSpec as RetrieveProperties(Ex) receives it.</summary>
internal sealed record PropertyFilterSpec(IReadOnlyList<PropertySpec> PropSet, IReadOnlyList<ObjectSpec> ObjectSet, bool ReportMissingObjectsInResults)
{
    /// <summary>Reads one <c>specSet</c> element; malformed specs yield an InvalidArgument fault.</summary>
    public static SoapFault? TryParse(XElement spec, out PropertyFilterSpec result)
    {
        result = null!;
        var props = new List<PropertySpec>();
        foreach (var p in SoapRequest.Children(spec, "propSet"))
        {
            var type = SoapRequest.Text(p, "type");
            if (string.IsNullOrEmpty(type))
            {
                return SoapFault.InvalidArgument("propSet.type");
            }

            props.Add(new PropertySpec(type, SoapRequest.Bool(p, "all", false), SoapRequest.Children(p, "pathSet").Select(e => e.Value.Trim()).ToList()));
        }

        var objects = new List<ObjectSpec>();
        foreach (var o in SoapRequest.Children(spec, "objectSet"))
        {
            if (SoapRequest.Mor(SoapRequest.Child(o, "obj")) is not { } obj)
            {
                return SoapFault.InvalidArgument("objectSet.obj");
            }

            if (TryParseSelectSet(o, out var selectSet) is { } fault)
            {
                return fault;
            }

            objects.Add(new ObjectSpec(obj, SoapRequest.Bool(o, "skip", false), selectSet));
        }

        if (props.Count == 0 || objects.Count == 0)
        {
            return SoapFault.InvalidArgument(props.Count == 0 ? "propSet" : "objectSet");
        }

        result = new PropertyFilterSpec(props, objects, SoapRequest.Bool(spec, "reportMissingObjectsInResults", false));
        return null;
    }

    /// <summary>Every named TraversalSpec reachable from this filter, for SelectionSpec references.</summary>
    public Dictionary<string, TraversalSpec> NamedTraversals()
    {
        var named = new Dictionary<string, TraversalSpec>(StringComparer.Ordinal);
        void Collect(IEnumerable<SelectionSpec> specs)
        {
            foreach (var t in specs.OfType<TraversalSpec>())
            {
                if (t.Name is { Length: > 0 } name && named.TryAdd(name, t))
                {
                    Collect(t.SelectSet);
                }
                else if (t.Name is not { Length: > 0 })
                {
                    Collect(t.SelectSet);
                }
            }
        }

        foreach (var o in ObjectSet)
        {
            Collect(o.SelectSet);
        }

        return named;
    }

    private static SoapFault? TryParseSelectSet(XElement parent, out List<SelectionSpec> result)
    {
        result = [];
        foreach (var s in SoapRequest.Children(parent, "selectSet"))
        {
            var name = SoapRequest.Text(s, "name");
            var isTraversal = SoapRequest.XsiType(s) == "TraversalSpec"
                || (SoapRequest.Child(s, "path") is not null && SoapRequest.Child(s, "type") is not null);
            if (!isTraversal)
            {
                if (string.IsNullOrEmpty(name))
                {
                    return SoapFault.InvalidArgument("selectSet.name");
                }

                result.Add(new SelectionSpec(name));
                continue;
            }

            var type = SoapRequest.Text(s, "type");
            var path = SoapRequest.Text(s, "path");
            if (string.IsNullOrEmpty(type) || string.IsNullOrEmpty(path))
            {
                return SoapFault.InvalidArgument(string.IsNullOrEmpty(type) ? "selectSet.type" : "selectSet.path");
            }

            if (TryParseSelectSet(s, out var nested) is { } fault)
            {
                return fault;
            }

            result.Add(new TraversalSpec(name, type, path, SoapRequest.Bool(s, "skip", false), nested));
        }

        return null;
    }
}
