using EsxiImport.Diagnostics;
using EsxiImport.Emulator.Inventory;
using EsxiImport.Emulator.Sessions;
using EsxiImport.Vim25;

namespace EsxiImport.Emulator.Soap;

/// <summary>The SessionManager: Login sets the <c>vmware_soap_session</c> cookie that /folder accepts too.</summary>
internal static class SessionManager
{
    public const string Type = "SessionManager";

    public static SoapOutcome Login(SoapCall call)
    {
        var user = call.Method.Child("userName")?.Value ?? "";
        var password = call.Method.Child("password")?.Value ?? "";
        var account = call.State.Scenario.Users.FirstOrDefault(u => u.Name == user);
        if (account is null || !SessionStore.PasswordMatches(account.Password, password))
        {
            return new SoapFault("InvalidLogin", Messages.Text("emulator.soap.invalid-login"));
        }

        var session = call.State.Sessions.Create(account.Name);
        var context = call.Http;
        context.Response.Headers.SetCookie = SessionCookie.SetCookieValue(session.Id);
        var userSession = InventoryValues.UserSession(
            Guid.NewGuid().ToString("D"), account.Name, session.Created,
            context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers.UserAgent.ToString());
        return SoapCall.ReturnData(userSession);
    }

    /// <summary>Ends the session and whatever it created (views, unfetched pages).</summary>
    public static SoapOutcome Logout(SoapCall call)
    {
        var state = call.State;
        var id = call.Caller.Id;
        state.Sessions.Remove(id);
        foreach (var (viewId, view) in state.Views)
        {
            if (view.SessionId == id)
            {
                state.Views.TryRemove(viewId, out _);
            }
        }

        foreach (var (token, pending) in state.Pending)
        {
            if (pending.SessionId == id)
            {
                state.Pending.TryRemove(token, out _);
            }
        }

        return SoapReply.Void;
    }

    public static SoapOutcome SessionIsActive(SoapCall call)
    {
        var sessionId = call.Method.TrimmedText("sessionID") ?? "";
        var userName = call.Method.TrimmedText("userName") ?? "";
        var active = call.State.Sessions.TryGet(sessionId, out var s) && s.UserName == userName;
        return new SoapReply(w => w.WriteField("SessionIsActiveResponse", new VimField("returnval", VimPrimitive.Bool(active))));
    }
}
