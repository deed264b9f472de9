using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace EsxiImport.Emulator.Sessions;

/// <summary>One logged-in session, shared by the SOAP API and the /folder API.</summary>
public sealed class Session
{
    internal Session(string id, string userName, DateTimeOffset now)
    {
        Id = id;
        UserName = userName;
        Created = now;
        LastActive = now;
    }

    /// <summary>The cookie value (<c>vmware_soap_session</c>); deliberately unrelated to any UserSession.key.</summary>
    public string Id { get; }

    public string UserName { get; }

    public DateTimeOffset Created { get; }

    public DateTimeOffset LastActive { get; internal set; }
}

/// <summary>
/// Sessions of the emulated host. A SOAP Login and a Basic-authenticated /folder request both
/// create one; the <c>vmware_soap_session</c> cookie then works on both APIs, as on ESXi.
/// Sessions expire after the scenario's idle timeout, or at once when a test or a fault rule
/// expires them.
/// </summary>
public sealed class SessionStore(TimeSpan idleTimeout, TimeProvider? clock = null)
{
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>Number of live (not yet removed) sessions.</summary>
    public int Count => _sessions.Count;

    /// <summary>Creates a session for an authenticated user.</summary>
    public Session Create(string userName)
    {
        var id = Guid.NewGuid().ToString("D");
        var session = new Session(id, userName, _clock.GetUtcNow());
        _sessions[id] = session;
        return session;
    }

    /// <summary>
    /// Finds the session for a cookie value (quotes around it are ignored, as clients send both
    /// forms) and marks it active. An idle session is removed and not returned.
    /// </summary>
    public bool TryGet(string? cookieValue, out Session session)
    {
        session = null!;
        var id = cookieValue?.Trim().Trim('"');
        if (string.IsNullOrEmpty(id) || !_sessions.TryGetValue(id, out var found))
        {
            return false;
        }

        var now = _clock.GetUtcNow();
        if (now - found.LastActive > idleTimeout)
        {
            _sessions.TryRemove(id, out _);
            return false;
        }

        found.LastActive = now;
        session = found;
        return true;
    }

    /// <summary>Ends one session (Logout, or a fault rule).</summary>
    public bool Remove(string id) => _sessions.TryRemove(id, out _);

    /// <summary>Ends every session, as a host restart would.</summary>
    public void Clear() => _sessions.Clear();

    /// <summary>Compares credentials in constant time, so tests of timing cannot learn a password.</summary>
    public static bool PasswordMatches(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(expected), System.Text.Encoding.UTF8.GetBytes(given));
}
