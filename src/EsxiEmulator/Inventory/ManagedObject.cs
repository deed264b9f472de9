using EsxiImport.Vim25;

namespace EsxiImport.Emulator.Inventory;

/// <summary>
/// One managed object of the emulated host: its reference, its properties in the order
/// <c>all=true</c> returns them (unset properties are null and never returned), and the
/// entities a ContainerView descends into.
/// </summary>
public sealed class ManagedObject(ManagedObjectReference reference, IReadOnlyList<KeyValuePair<string, VimValue?>> properties, IReadOnlyList<ManagedObjectReference>? children = null)
{
    public ManagedObjectReference Ref { get; } = reference;

    public IReadOnlyList<KeyValuePair<string, VimValue?>> Properties { get; } = properties;

    /// <summary>Entities directly below this one, as a ContainerView walks them.</summary>
    public IReadOnlyList<ManagedObjectReference> Children { get; } = children ?? [];

    /// <summary>Whether the type has a property of that name (set or not).</summary>
    public bool HasProperty(string name) => Properties.Any(p => p.Key == name);

    public VimValue? Property(string name)
    {
        foreach (var p in Properties)
        {
            if (p.Key == name)
            {
                return p.Value;
            }
        }

        return null;
    }
}
