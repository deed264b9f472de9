using EsxiImport.Emulator.Inventory;
using EsxiImport.Vim25;

namespace EsxiImport.Emulator.Soap;

/// <summary>The ViewManager: creates ContainerViews, which belong to the session that made them.</summary>
internal static class ViewManager
{
    public const string Type = "ViewManager";

    public static SoapOutcome CreateContainerView(SoapCall call)
    {
        var m = call.Method;
        if (ManagedObjectReference.From(m.Child("container")) is not { } container)
        {
            return SoapFault.InvalidArgument("container");
        }

        if (call.State.Inventory.Find(container) is null)
        {
            return SoapFault.ObjectNotFound(container);
        }

        if (!ManagedTypes.IsContainer(container.Type))
        {
            return SoapFault.InvalidArgument("container");
        }

        var session = call.Caller;
        var types = m.Children("type").Select(e => e.Value.Trim()).ToList();
        var id = "session[" + session.Id + "]" + Guid.NewGuid().ToString("D");
        call.State.Views[id] = new ContainerViewState(session.Id, container, types, m.Flag("recursive"));
        var view = new ManagedObjectReference(ContainerView.Type, id);
        return new SoapReply(w => w.WriteMor("returnval", view));
    }
}
