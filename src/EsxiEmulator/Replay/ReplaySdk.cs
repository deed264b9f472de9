using System.Text;

using EsxiImport.Diagnostics;
using EsxiImport.Emulator.Scenarios;
using EsxiImport.Emulator.Sessions;
using EsxiImport.Emulator.Soap;
using EsxiImport.Vim25;

using Microsoft.AspNetCore.Http;

namespace EsxiImport.Emulator.Replay;

/// <summary>
/// <c>/sdk</c> answered from a recording. A call gets the recorded answer of the first call not
/// yet replayed that asks for the same thing (<see cref="SoapCallKey"/>: method, managed object,
/// properties), so a fault recorded before a retry comes back before the retry's answer; a call
/// asked more often than recorded gets its last recorded answer again. Status, fault and bytes are
/// as recorded. Login is checked against the replay host's account and hands out a fresh session;
/// every other call but RetrieveServiceContent needs that session, as on a real host. A call the
/// recording never saw is a fault, never a guess.
/// </summary>
internal sealed class ReplaySdk(Recorded recorded, Scenario scenario, SessionStore sessions) : ISdkHandler
{
    private static readonly ManagedObjectReference SessionManager = new("SessionManager", "ha-sessionmgr");
    private readonly Lock _gate = new();
    private readonly HashSet<SoapExchange> _answered = new(ReferenceEqualityComparer.Instance);

    public Task VersionsAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return recorded.Versions is { } entry
            ? ReplayResponse.WriteAsync(context, entry)
            : Http.RequestGate.WriteTextAsync(context, StatusCodes.Status404NotFound, Messages.Text("emulator.http.not-found"));
    }

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        if (SoapCallKey.Of(body) is not { } call)
        {
            await SoapFaultWriter.WriteAsync(context, "InvalidRequest", Messages.Format("emulator.soap.invalid-request", ("reason", "no SOAP Body with a call"))).ConfigureAwait(false);
            return;
        }

        var user = scenario.Users[0];
        if (call.Method == "Login")
        {
            if (call.Field("userName") != user.Name || !SessionStore.PasswordMatches(user.Password, call.Field("password") ?? ""))
            {
                await SoapFaultWriter.WriteAsync(context, "InvalidLogin", Messages.Text("emulator.soap.invalid-login")).ConfigureAwait(false);
                return;
            }
        }
        else if (call.Method != "RetrieveServiceContent" && !sessions.TryGet(context.Request.Cookies[SessionCookie.Name], out _))
        {
            var fault = SoapFault.NotAuthenticated(SessionManager);
            await SoapFaultWriter.WriteAsync(context, fault.Type, fault.Message, fault.Detail).ConfigureAwait(false);
            return;
        }

        if (Next(call) is not { } exchange)
        {
            await SoapFaultWriter.WriteAsync(context, "NotSupported", Messages.Format("emulator.replay.unrecorded-call", ("method", call.Method))).ConfigureAwait(false);
            return;
        }

        if (call.Method == "Login" && exchange.Entry.Response.Status == StatusCodes.Status200OK)
        {
            context.Response.Headers.SetCookie = SessionCookie.SetCookieValue(sessions.Create(user.Name).Id);
        }

        await ReplayResponse.WriteAsync(context, exchange.Entry).ConfigureAwait(false);
    }

    private SoapExchange? Next(SoapCallKey call)
    {
        lock (_gate)
        {
            var exchange = recorded.Soap.FirstOrDefault(e => !_answered.Contains(e) && e.Call.Equals(call))
                ?? recorded.Soap.LastOrDefault(e => e.Call.Equals(call));
            if (exchange is not null)
            {
                _answered.Add(exchange);
            }

            return exchange;
        }
    }
}
