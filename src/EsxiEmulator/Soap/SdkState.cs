using System.Collections.Concurrent;

using EsxiImport.Emulator.Inventory;
using EsxiImport.Emulator.Scenarios;
using EsxiImport.Emulator.Sessions;
using EsxiImport.Vim25;

namespace EsxiImport.Emulator.Soap;

/// <summary>
/// What the SOAP methods of one emulated host share: the inventory built from the scenario, the
/// sessions (shared with /folder), and the per-session objects that methods create and end
/// (ContainerViews, continuation tokens of paged retrievals).
/// </summary>
internal sealed class SdkState(Scenario scenario, SessionStore sessions)
{
    public Scenario Scenario { get; } = scenario;

    public SessionStore Sessions { get; } = sessions;

    public HostInventory Inventory { get; } = HostInventory.Build(scenario);

    /// <summary>Live ContainerViews by id.</summary>
    public ConcurrentDictionary<string, ContainerViewState> Views { get; } = new(StringComparer.Ordinal);

    /// <summary>Unfetched pages of RetrievePropertiesEx by token.</summary>
    public ConcurrentDictionary<string, PendingResult> Pending { get; } = new(StringComparer.Ordinal);

    /// <summary>An inventory object, or a ContainerView of <paramref name="session"/> as a managed object.</summary>
    public ManagedObject? Find(ManagedObjectReference reference, Session? session) =>
        reference.Type == ContainerView.Type ? ContainerView.Find(this, reference, session) : Inventory.Find(reference);
}

/// <summary>A ContainerView: the session that made it, and what it shows.</summary>
internal sealed record ContainerViewState(string SessionId, ManagedObjectReference Container, IReadOnlyList<string> Types, bool Recursive);

/// <summary>The rest of a paged retrieval, for the session that asked.</summary>
internal sealed record PendingResult(string SessionId, List<ObjectContent> Rest, int PageSize);
