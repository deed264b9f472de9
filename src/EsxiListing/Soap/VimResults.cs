using System.Xml.Linq;

using EsxiImport.Vim25;

namespace EsxiImport.Listing.Soap;

/// <summary>The parts of ServiceContent a listing needs.</summary>
public sealed record ServiceContent(
    ManagedObjectReference RootFolder,
    ManagedObjectReference PropertyCollector,
    ManagedObjectReference ViewManager,
    ManagedObjectReference SessionManager,
    string ApiType,
    string ApiVersion);

/// <summary>One ObjectContent of a result: the object, its properties (raw <c>val</c> elements by path), and failed paths.</summary>
public sealed record ObjectContent(ManagedObjectReference Obj, IReadOnlyDictionary<string, XElement> Properties, IReadOnlyList<MissingProperty> MissingSet);

/// <summary>A property the server could not read.</summary>
public sealed record MissingProperty(string Path, string FaultType);

/// <summary>One page of RetrievePropertiesEx; <see cref="Token"/> is set when more pages follow.</summary>
public sealed record RetrieveResult(string? Token, IReadOnlyList<ObjectContent> Objects)
{
    public static readonly RetrieveResult Empty = new(null, []);
}
