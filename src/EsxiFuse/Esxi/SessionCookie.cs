namespace EsxiImport.EsxiFuse.Esxi;

/// <summary>
/// The <c>vmware_soap_session</c> cookie. ESXi hands one out on a Basic-authenticated request;
/// presenting it again reuses that host session instead of opening a new one per request,
/// which is what exhausts hostd's session and connection limits (FB-25).
/// </summary>
internal static class SessionCookie
{
    private const string Name = "vmware_soap_session";

    /// <summary>
    /// The <c>name=value</c> part of the first session cookie in the response, or null. The
    /// attributes (<c>Path</c>, <c>HttpOnly</c>, …) are dropped: they describe the cookie, and a
    /// <c>Cookie</c> header carries only the pair.
    /// </summary>
    public static string? From(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Set-Cookie", out var values))
        {
            return null;
        }

        foreach (var value in values)
        {
            var trimmed = value.TrimStart();
            if (!trimmed.StartsWith(Name + "=", StringComparison.Ordinal))
            {
                continue;
            }

            var end = trimmed.IndexOf(';', StringComparison.Ordinal);
            return (end < 0 ? trimmed : trimmed[..end]).TrimEnd();
        }

        return null;
    }
}
