namespace EsxiImport.Vim25;

/// <summary>A PropertySpec: which properties to collect from objects of <see cref="Type"/> (or a subtype).</summary>
public sealed record PropertySpec(string Type, IReadOnlyList<string> PathSet, bool All = false);

/// <summary>A SelectionSpec: by itself only a name that refers to a TraversalSpec of the same filter.</summary>
public record SelectionSpec(string? Name);

/// <summary>A TraversalSpec: from objects of <see cref="Type"/>, follow the references in property <see cref="Path"/>.</summary>
public sealed record TraversalSpec(string? Name, string Type, string Path, bool Skip, IReadOnlyList<SelectionSpec> SelectSet) : SelectionSpec(Name);

/// <summary>An ObjectSpec: where collection starts.</summary>
public sealed record ObjectSpec(ManagedObjectReference Obj, bool Skip, IReadOnlyList<SelectionSpec> SelectSet);

/// <summary>A PropertyFilterSpec, as RetrieveProperties(Ex) takes it.</summary>
public sealed record PropertyFilterSpec(IReadOnlyList<PropertySpec> PropSet, IReadOnlyList<ObjectSpec> ObjectSet, bool ReportMissingObjectsInResults = false)
{
    /// <summary>Every named TraversalSpec reachable from this filter, which SelectionSpecs refer to by name (the first of a name wins).</summary>
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
}
