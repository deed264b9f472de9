using EsxiImport.Emulator.Inventory;
using EsxiImport.Emulator.Sessions;
using EsxiImport.Vim25;

namespace EsxiImport.Emulator.Soap;

/// <summary>
/// A ContainerView: the entities below a container, filtered by type. Only the session that
/// created a view can see or destroy it; to any other it does not exist.
/// </summary>
internal static class ContainerView
{
    public const string Type = "ContainerView";

    public static SoapOutcome DestroyView(SoapCall call)
    {
        var self = call.This;
        if (self.Type != Type || !call.State.Views.TryGetValue(self.Value, out var view) || view.SessionId != call.Caller.Id)
        {
            return SoapFault.ObjectNotFound(self);
        }

        call.State.Views.TryRemove(self.Value, out _);
        return SoapReply.Void;
    }

    /// <summary>The view as a managed object with its properties, or null when it is not one of <paramref name="session"/>'s.</summary>
    public static ManagedObject? Find(SdkState state, ManagedObjectReference reference, Session? session)
    {
        if (session is null || !state.Views.TryGetValue(reference.Value, out var view) || view.SessionId != session.Id)
        {
            return null;
        }

        var members = state.Inventory.Descendants(view.Container, view.Recursive)
            .Where(r => view.Types.Count == 0 || view.Types.Any(t => ManagedTypes.IsA(r.Type, t)))
            .Cast<VimValue>().ToList();
        return new ManagedObject(reference,
        [
            new("container", view.Container),
            new("type", new VimArray("string", view.Types.Select(t => (VimValue)VimPrimitive.String(t)).ToList())),
            new("recursive", VimPrimitive.Bool(view.Recursive)),
            new("view", new VimArray("ManagedObjectReference", members)),
        ]);
    }
}
