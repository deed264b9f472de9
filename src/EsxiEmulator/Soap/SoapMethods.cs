using EsxiImport.Emulator.Inventory;
using EsxiImport.Vim25;

namespace EsxiImport.Emulator.Soap;

/// <summary>
/// One row of the method table: a vim25 method, the managed-object type it belongs to, whether
/// it may be called without a session, and the code that answers it.
/// </summary>
/// <param name="Name">The method's WSDL name.</param>
/// <param name="ObjectType">The type <c>_this</c> must be, checked against the inventory before the call; null when the method finds its object itself (DestroyView, Fetch).</param>
/// <param name="Anonymous">Whether a call on <c>_this</c> needs no session; null means it always needs one.</param>
/// <param name="Invoke">The method.</param>
internal sealed record SoapMethod(string Name, string? ObjectType, Func<ManagedObjectReference, bool>? Anonymous, Func<SoapCall, SoapOutcome> Invoke);

/// <summary>
/// Every SOAP method the emulated host serves, by managed object, registered here by hand: no
/// name lookup by reflection, so what exists is what this table says (a test checks it against
/// the list the endpoint documents).
/// </summary>
internal static class SoapMethods
{
    private static readonly Func<ManagedObjectReference, bool> Always = _ => true;

    public static readonly IReadOnlyList<SoapMethod> All =
    [
        new("RetrieveServiceContent", ServiceInstance.Type, Always, ServiceInstance.RetrieveServiceContent),
        new("Login", SessionManager.Type, Always, SessionManager.Login),
        new("Logout", SessionManager.Type, null, SessionManager.Logout),
        new("SessionIsActive", SessionManager.Type, null, SessionManager.SessionIsActive),
        new("CreateContainerView", ViewManager.Type, null, ViewManager.CreateContainerView),
        new("DestroyView", null, null, ContainerView.DestroyView),
        new("RetrieveProperties", PropertyCollector.Type, null, PropertyCollector.RetrieveProperties),
        new("RetrievePropertiesEx", PropertyCollector.Type, null, PropertyCollector.RetrievePropertiesEx),
        new("ContinueRetrievePropertiesEx", PropertyCollector.Type, null, PropertyCollector.ContinueRetrievePropertiesEx),
        new("CancelRetrievePropertiesEx", PropertyCollector.Type, null, PropertyCollector.CancelRetrievePropertiesEx),

        // pyvmomi 8 reads properties through Fetch, also on the ServiceInstance before logging in.
        new("Fetch", null, self => self == HostInventory.ServiceInstance, AnyManagedObject.Fetch),
    ];

    private static readonly Dictionary<string, SoapMethod> ByName = All.ToDictionary(m => m.Name, StringComparer.Ordinal);

    public static SoapMethod? Find(string name) => ByName.GetValueOrDefault(name);
}
