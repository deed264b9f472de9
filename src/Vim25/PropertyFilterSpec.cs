using System.Xml.Linq;

namespace EsxiImport.Listing.Soap;

/// <summary>A ManagedObjectReference: <c>&lt;x type="VirtualMachine"&gt;1&lt;/x&gt;</c>.</summary>
public sealed record ManagedObjectReference(string Type, string Value)
{
    public XElement ToElement(XName name) => new(name, new XAttribute("type", Type), Value);

    /// <summary>Reads a reference; null when the element is absent or has no <c>type</c>.</summary>
    public static ManagedObjectReference? From(XElement? element) =>
        element?.Attribute("type")?.Value is { Length: > 0 } type ? new ManagedObjectReference(type, element.Value.Trim()) : null;

    public override string ToString() => Type + ":" + Value;
}

/// <summary>The parts of ServiceContent a listing needs.</summary>
public sealed record ServiceContent(
    ManagedObjectReference RootFolder,
    ManagedObjectReference PropertyCollector,
    ManagedObjectReference ViewManager,
    ManagedObjectReference SessionManager,
    string ApiType,
    string ApiVersion);

/// <summary>A vim25 fault: its type (from <c>xsi:type</c> or the detail element name) and faultstring.</summary>
public sealed record VimFault(string Type, string Message);

/// <summary>A PropertySpec: properties to read from objects of <see cref="Type"/>.</summary>
public sealed record PropertySpec(string Type, IReadOnlyList<string> PathSet, bool All = false);

/// <summary>A SelectionSpec: by itself a reference by name to a TraversalSpec of the same filter.</summary>
public record SelectionSpec(string? Name);

/// <summary>A TraversalSpec: from objects of <see cref="Type"/>, follow the references in <see cref="Path"/>.</summary>
public sealed record TraversalSpec(string? Name, string Type, string Path, bool Skip, IReadOnlyList<SelectionSpec> SelectSet) : SelectionSpec(Name);

/// <summary>An ObjectSpec: where collection starts.</summary>
public sealed record ObjectSpec(ManagedObjectReference Obj, bool Skip, IReadOnlyList<SelectionSpec> SelectSet);

/// <summary>A PropertyFilterSpec.</summary>
public sealed record PropertyFilterSpec(IReadOnlyList<PropertySpec> PropSet, IReadOnlyList<ObjectSpec> ObjectSet);

/// <summary>One ObjectContent of a result: the object, its properties (raw <c>val</c> elements by path), and failed paths.</summary>
public sealed record ObjectContent(ManagedObjectReference Obj, IReadOnlyDictionary<string, XElement> Properties, IReadOnlyList<MissingProperty> MissingSet);

/// <summary>A property the server could not read.</summary>
public sealed record MissingProperty(string Path, string FaultType);

/// <summary>One page of RetrievePropertiesEx; <see cref="Token"/> is set when more pages follow.</summary>
public sealed record RetrieveResult(string? Token, IReadOnlyList<ObjectContent> Objects)
{
    public static readonly RetrieveResult Empty = new(null, []);
}
