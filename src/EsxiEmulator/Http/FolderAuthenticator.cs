using System.Text;

using EsxiImport.Emulator.Faults;
using EsxiImport.Emulator.Scenarios;
using EsxiImport.Emulator.Sessions;
using EsxiImport.Vim25;

using Microsoft.AspNetCore.Http;

namespace EsxiImport.Emulator.Http;

/// <summary>
/// Authentication of /folder: Basic credentials of a scenario user, or a live
/// <c>vmware_soap_session</c> cookie (from a SOAP Login or an earlier Basic request). A request
/// with valid Basic and no live cookie gets a new session in <c>Set-Cookie</c>, as clients
/// (virt-v2v, nbdkit, Xen Orchestra) expect. Wrong Basic credentials fail even with a cookie.
/// </summary>
internal sealed class FolderAuthenticator(Scenario scenario, SessionStore sessions, EmulatorCounters counters)
{
    /// <summary>The challenge ESXi sends; urllib-style clients answer only a challenge with this realm.</summary>
    public const string Challenge = "Basic realm=\"VMware HTTP server\"";

    /// <summary>True when the request may proceed; otherwise the 401 has been prepared.</summary>
    public bool Authenticate(HttpContext context)
    {
        var basic = ReadBasic(context.Request);
        var cookieOk = sessions.TryGet(SessionCookie.IdFrom(context.Request.Headers.Cookie), out _);
        if (basic is var (user, password))
        {
            var account = scenario.Users.FirstOrDefault(u => u.Name == user);
            if (account is null || !SessionStore.PasswordMatches(account.Password, password))
            {
                return Refuse(context);
            }

            if (!cookieOk)
            {
                var session = sessions.Create(user);
                counters.CountSession();
                context.Response.Headers.SetCookie = SessionCookie.SetCookieValue(session.Id);
            }

            return true;
        }

        return cookieOk || Refuse(context);
    }

    private bool Refuse(HttpContext context)
    {
        counters.CountAuthFailure();
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = Challenge;
        return false;
    }

    private static (string User, string Password)? ReadBasic(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? (text, "") : (text[..colon], text[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return ("", "\0");
        }
    }
}
