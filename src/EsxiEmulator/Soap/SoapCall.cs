using System.Xml.Linq;

using EsxiImport.Emulator.Inventory;
using EsxiImport.Emulator.Sessions;
using EsxiImport.Vim25;

using Microsoft.AspNetCore.Http;

namespace EsxiImport.Emulator.Soap;

/// <summary>One call as a method sees it, after the dispatcher's checks.</summary>
/// <param name="State">The host's shared state.</param>
/// <param name="Method">The method element (its parameters are its children).</param>
/// <param name="This">The object called (<c>_this</c>).</param>
/// <param name="Session">The caller's session; null only for the methods that need none.</param>
/// <param name="Version">The API version the reply is written for.</param>
/// <param name="Http">The HTTP exchange (Login sets the cookie on it).</param>
internal sealed record SoapCall(SdkState State, XElement Method, ManagedObjectReference This, Session? Session, ApiVersion Version, HttpContext Http)
{
    /// <summary>The session of a method that requires one (the dispatcher has checked it).</summary>
    public Session Caller => Session ?? throw new InvalidOperationException("a method that needs a session was dispatched without one");

    /// <summary>A reply whose <c>returnval</c> is the data object <paramref name="data"/>.</summary>
    public static SoapReply ReturnData(VimData data) => new(w =>
    {
        w.Xml.WriteStartElement("returnval", VimXml.VimUri);
        w.WriteFields(data);
        w.Xml.WriteEndElement();
    });
}
