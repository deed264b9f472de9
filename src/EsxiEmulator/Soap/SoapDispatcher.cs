using EsxiImport.Diagnostics;
using EsxiImport.Emulator.Inventory;
using EsxiImport.Emulator.Sessions;
using EsxiImport.Vim25;

using Microsoft.AspNetCore.Http;

namespace EsxiImport.Emulator.Soap;

/// <summary>
/// The one way into a SOAP method, in this order: the request names its object (<c>_this</c>),
/// else InvalidRequest; a method that needs a session has one, else NotAuthenticated (unknown
/// methods need one too, as on ESXi); the method exists, else MethodNotFound; its object exists
/// in the inventory, else ManagedObjectNotFound, and is of the method's type, else
/// MethodNotFound; then the method runs.
/// </summary>
internal static class SoapDispatcher
{
    public static SoapOutcome Dispatch(SdkState state, SoapRequest request, Session? session, ApiVersion version, HttpContext http)
    {
        if (request.This is not { } self)
        {
            return SoapFault.InvalidRequest(Messages.Text("emulator.soap.missing-this"));
        }

        var method = SoapMethods.Find(request.Name);
        if (session is null && method?.Anonymous?.Invoke(self) != true)
        {
            return SoapFault.NotAuthenticated(self);
        }

        if (method is null)
        {
            return MethodNotFound(self, request.Name);
        }

        if (method.ObjectType is { } type)
        {
            if (state.Inventory.Find(self) is null)
            {
                return SoapFault.ObjectNotFound(self);
            }

            if (self.Type != type)
            {
                return MethodNotFound(self, request.Name);
            }
        }

        return method.Invoke(new SoapCall(state, request.Method, self, session, version, http));
    }

    private static SoapFault MethodNotFound(ManagedObjectReference self, string method) => new("MethodNotFound",
        Messages.Format("emulator.soap.method-not-found", ("method", method), ("type", self.Type)),
        w =>
        {
            w.WriteStartElement("receiver", VimXml.VimUri);
            w.WriteAttributeString("type", self.Type);
            w.WriteString(self.Value);
            w.WriteEndElement();
            w.WriteElementString("method", VimXml.VimUri, method);
        });
}
