using EsxiImport.Emulator.Inventory;
using EsxiImport.Vim25;

namespace EsxiImport.Emulator.Soap;

/// <summary>A property the collector could not read, reported in <c>missingSet</c>.</summary>
internal sealed record MissingProperty(string Path, VimData Fault, string Message);

/// <summary>One ObjectContent: the object, its properties in request order, and the paths that failed.</summary>
internal sealed record ObjectContent(ManagedObjectReference Obj, IReadOnlyList<KeyValuePair<string, VimValue>> PropSet, IReadOnlyList<MissingProperty> MissingSet);

/// <summary>
/// What the PropertyCollector retrieves: walks every ObjectSpec through its TraversalSpecs
/// (named SelectionSpecs resolve to the filter's TraversalSpecs, which makes recursion possible),
/// then reads the requested properties, dotted paths included, of each reached object whose type
/// matches a PropertySpec. Unset properties are left out; unknown ones go to missingSet.
/// </summary>
internal sealed class PropertyRetrieval(Func<ManagedObjectReference, ManagedObject?> find, ApiVersion version)
{
    public SoapFault? TryRetrieve(IReadOnlyList<PropertyFilterSpec> specSet, out List<ObjectContent> contents)
    {
        contents = [];
        foreach (var spec in specSet)
        {
            var named = spec.NamedTraversals();
            var reached = new List<ManagedObjectReference>();
            var reachedSet = new HashSet<ManagedObjectReference>();
            var visited = new HashSet<(ManagedObjectReference, TraversalSpec)>();
            foreach (var start in spec.ObjectSet)
            {
                if (find(start.Obj) is null)
                {
                    if (!spec.ReportMissingObjectsInResults)
                    {
                        return SoapFault.ObjectNotFound(start.Obj);
                    }

                    var fault = new VimData("ManagedObjectNotFound", [new("obj", start.Obj)]);
                    contents.Add(new ObjectContent(start.Obj, [], [new MissingProperty("", fault, SoapFault.ObjectNotFound(start.Obj).Message)]));
                    continue;
                }

                if (Visit(start.Obj, start.Skip, start.SelectSet, named, reached, reachedSet, visited) is { } error)
                {
                    return error;
                }
            }

            foreach (var r in reached)
            {
                if (Collect(find(r)!, spec.PropSet) is { } content)
                {
                    contents.Add(content);
                }
            }
        }

        return null;
    }

    /// <summary>Reads one property path of an object: (known, value) where value is null when unset.</summary>
    public (bool Known, VimValue? Value) Read(ManagedObject obj, string path)
    {
        var segments = path.Split('.');
        if (!obj.HasProperty(segments[0]))
        {
            return (false, null);
        }

        var value = obj.Property(segments[0]);
        for (var i = 1; i < segments.Length && value is not null; i++)
        {
            value = value is VimData d && VersionFilter.AllowsField(d.Type, segments[i], version) ? d.Field(segments[i]) : null;
        }

        return (true, value);
    }

    private SoapFault? Visit(
        ManagedObjectReference at, bool skip, IReadOnlyList<SelectionSpec> selectSet, Dictionary<string, TraversalSpec> named,
        List<ManagedObjectReference> reached, HashSet<ManagedObjectReference> reachedSet, HashSet<(ManagedObjectReference, TraversalSpec)> visited)
    {
        if (find(at) is not { } obj)
        {
            return null;
        }

        if (!skip && reachedSet.Add(at))
        {
            reached.Add(at);
        }

        foreach (var selection in selectSet)
        {
            TraversalSpec traversal;
            if (selection is TraversalSpec t)
            {
                traversal = t;
            }
            else if (!named.TryGetValue(selection.Name ?? "", out traversal!))
            {
                return SoapFault.InvalidArgument("selectSet");
            }

            if (!ManagedTypes.IsA(at.Type, traversal.Type) || !visited.Add((at, traversal)))
            {
                continue;
            }

            var targets = obj.Property(traversal.Path) switch
            {
                ManagedObjectReference one => [one],
                VimArray many => many.Items.OfType<ManagedObjectReference>().ToList(),
                _ => new List<ManagedObjectReference>(),
            };
            foreach (var target in targets)
            {
                if (Visit(target, traversal.Skip, traversal.SelectSet, named, reached, reachedSet, visited) is { } fault)
                {
                    return fault;
                }
            }
        }

        return null;
    }

    private ObjectContent? Collect(ManagedObject obj, IReadOnlyList<PropertySpec> propSet)
    {
        var matching = propSet.Where(p => ManagedTypes.IsA(obj.Ref.Type, p.Type)).ToList();
        if (matching.Count == 0)
        {
            return null;
        }

        var paths = new List<string>();
        foreach (var spec in matching)
        {
            var wanted = spec.All ? obj.Properties.Select(p => p.Key) : spec.PathSet;
            foreach (var path in wanted)
            {
                if (!paths.Contains(path))
                {
                    paths.Add(path);
                }
            }
        }

        var found = new List<KeyValuePair<string, VimValue>>();
        var missing = new List<MissingProperty>();
        foreach (var path in paths)
        {
            var (known, value) = Read(obj, path);
            if (!known)
            {
                missing.Add(new MissingProperty(path, new VimData("InvalidProperty", [new("name", VimPrimitive.String(path))]), SoapFault.InvalidProperty(path).Message));
            }
            else if (value is not null)
            {
                found.Add(new(path, value));
            }
        }

        return new ObjectContent(obj.Ref, found, missing);
    }
}
