using EsxiImport.Emulator.Sessions;

using Microsoft.AspNetCore.Http;

namespace EsxiImport.Emulator.Http;

/// <summary>
/// Finds the <c>vmware_soap_session</c> value in a request's Cookie headers. Clients echo the
/// Set-Cookie value verbatim, attributes included (<c>vmware_soap_session="52…"; Path=/; HttpOnly;</c>),
/// so the header is split by hand: the first pair with the cookie's name wins and quotes are dropped.
/// </summary>
public static class SessionCookie
{
    public static string? Read(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var header in request.Headers.Cookie)
        {
            foreach (var part in (header ?? "").Split(';'))
            {
                var pair = part.Trim();
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0 && pair.AsSpan(0, eq).Trim().SequenceEqual(SessionStore.CookieName))
                {
                    return pair[(eq + 1)..].Trim().Trim('"');
                }
            }
        }

        return null;
    }
}
