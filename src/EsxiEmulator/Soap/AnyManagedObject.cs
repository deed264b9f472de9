using EsxiImport.Vim25;

namespace EsxiImport.Emulator.Soap;

/// <summary>Methods every managed object has.</summary>
internal static class AnyManagedObject
{
    /// <summary>pyvmomi 8's property accessor: the property's value as an anyType returnval, nothing when unset.</summary>
    public static SoapOutcome Fetch(SoapCall call)
    {
        var state = call.State;
        var self = call.This;
        if (state.Find(self, call.Session) is not { } obj)
        {
            return SoapFault.ObjectNotFound(self);
        }

        var path = call.Method.TrimmedText("prop") ?? "";
        var (known, value) = new PropertyRetrieval(r => state.Find(r, call.Session), call.Version).Read(obj, path);
        if (!known)
        {
            return SoapFault.InvalidProperty(path);
        }

        return value is null ? SoapReply.Void : new SoapReply(w => w.WriteAnyType("returnval", value));
    }
}
