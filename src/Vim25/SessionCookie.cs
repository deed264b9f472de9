namespace EsxiImport.Vim25;

/// <summary>
/// The <c>vmware_soap_session</c> cookie: ESXi hands it out at a SOAP Login or a
/// Basic-authenticated <c>/folder</c> request, and it then works on both APIs. Its three shapes
/// are here: the <c>Set-Cookie</c> a host sends, the pair a client keeps, the id a host reads back.
/// </summary>
public static class SessionCookie
{
    public const string Name = "vmware_soap_session";

    /// <summary>The <c>Set-Cookie</c> value a real host sends: the id in quotes plus its attributes.</summary>
    public static string SetCookieValue(string id) => $"{Name}=\"{id}\"; Path=/; HttpOnly; Secure;";

    /// <summary>
    /// The <c>name=value</c> pair of one <c>Set-Cookie</c> value when it is the session cookie, else
    /// null. The attributes (<c>Path</c>, <c>HttpOnly</c>, …) describe the cookie for browsers; a
    /// <c>Cookie</c> header carries only the pair.
    /// </summary>
    public static string? PairOf(string setCookie)
    {
        ArgumentNullException.ThrowIfNull(setCookie);
        var trimmed = setCookie.TrimStart();
        if (!trimmed.StartsWith(Name + "=", StringComparison.Ordinal))
        {
            return null;
        }

        var end = trimmed.IndexOf(';', StringComparison.Ordinal);
        return (end < 0 ? trimmed : trimmed[..end]).TrimEnd();
    }

    /// <summary>
    /// The pair of the first session cookie <paramref name="response"/> sets, or null. Presenting
    /// it again reuses that host session instead of opening a new one per request, which is what
    /// exhausts hostd's session and connection limits (FB-25).
    /// </summary>
    public static string? From(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(PairOf).FirstOrDefault(p => p is not null) : null;
    }

    /// <summary>
    /// The session id in a request's <c>Cookie</c> headers. Clients echo the <c>Set-Cookie</c> value
    /// verbatim, attributes included (<c>vmware_soap_session="52…"; Path=/; HttpOnly;</c>), so the
    /// header is split by hand: the first pair with the cookie's name wins and quotes are dropped.
    /// </summary>
    public static string? IdFrom(IEnumerable<string?> cookieHeaders)
    {
        ArgumentNullException.ThrowIfNull(cookieHeaders);
        foreach (var header in cookieHeaders)
        {
            foreach (var part in (header ?? "").Split(';'))
            {
                var pair = part.Trim();
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0 && pair.AsSpan(0, eq).Trim().SequenceEqual(Name))
                {
                    return pair[(eq + 1)..].Trim().Trim('"');
                }
            }
        }

        return null;
    }
}
