using System.Diagnostics;
using System.Net;

namespace EsxiImport.EsxiFuse.Esxi;

/// <summary>
/// The HTTP connections to the host, and the one change ever made to how they are used.
/// Requests start as asked (HTTP/1.1 by default, over up to the ceiling of requests in flight
/// connections). A host that limits connections (ESXi 8 does; upstream moved to HTTP/2 in its
/// 0.5.1 release to open fewer) is known by what it does: a new connection fails before its
/// first request (refused, reset or closed during the TLS handshake) while the host answered
/// another request moments ago. From then on requests ask for HTTP/2 on one connection (h2 by
/// ALPN; a host without h2 gets HTTP/1.1 on that one connection). Requests already sent finish
/// on the old connections, which are closed when the last of them ends, so that they free the
/// host's connection slots.
/// </summary>
internal sealed class HostConnections : IDisposable
{
    /// <summary>How recent an answer must be for a failed connect to mean "limited", not "down".</summary>
    internal static readonly TimeSpan AnsweredWithin = TimeSpan.FromSeconds(5);

    private readonly Func<Version, int, HttpMessageHandler>? _factory;
    private readonly Action<Version> _switched;
    private Lane _current;
    private long _lastAnswer;
    private int _limited;
    private int _disposed;

    /// <param name="first">The lane requests start on.</param>
    /// <param name="factory">Builds the handler of the one-connection lane (version, most connections); null: never switch (a scripted transport).</param>
    /// <param name="switched">Told once, when requests move to the one-connection lane.</param>
    public HostConnections(Lane first, Func<Version, int, HttpMessageHandler>? factory, Action<Version> switched)
    {
        _current = first;
        _factory = factory;
        _switched = switched;
    }

    /// <summary>The lane new requests take now.</summary>
    public Lane Current => Volatile.Read(ref _current);

    /// <summary>Takes the current lane for one request; give it back with <see cref="Leave"/>.</summary>
    public Lane Enter()
    {
        while (true)
        {
            var lane = Volatile.Read(ref _current);
            Interlocked.Increment(ref lane.InFlight);
            if (!lane.Retired)
            {
                return lane;
            }

            // Switched while entering: this lane may already be closing.
            Leave(lane);
        }
    }

    public void Leave(Lane lane)
    {
        if (Interlocked.Decrement(ref lane.InFlight) == 0 && lane.Retired)
        {
            lane.Close();
        }
    }

    /// <summary>The host answered a request (headers arrived).</summary>
    public void Answered() => Interlocked.Exchange(ref _lastAnswer, Stopwatch.GetTimestamp());

    /// <summary>True once the host showed that it limits connections.</summary>
    public bool Limited => Volatile.Read(ref _limited) != 0;

    /// <summary>
    /// A request on <paramref name="lane"/> failed with <paramref name="error"/>. True when the
    /// failure is the host refusing a connection over its limit — seen now (the requests move to
    /// one connection) or before (a connect refused while the old connections close) — so the
    /// request is to be retried, on the current lane, however its failure reads.
    /// </summary>
    public bool ConnectFailed(Lane lane, HttpRequestException error, bool certificateRefused)
    {
        ArgumentNullException.ThrowIfNull(lane);
        ArgumentNullException.ThrowIfNull(error);
        if (_factory is null || !BeforeTheRequest(error.HttpRequestError, certificateRefused))
        {
            return false;
        }

        if (Limited)
        {
            return true;
        }

        if (lane.Version != HttpVersion.Version11 || !MeansLimited(error.HttpRequestError, certificateRefused, lane.MaxConnections, SinceLastAnswer()))
        {
            return false;
        }

        var next = new Lane(new HttpClient(_factory(HttpVersion.Version20, 1), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan }, HttpVersion.Version20, 1);
        if (Interlocked.CompareExchange(ref _current, next, lane) != lane)
        {
            // Another request made the move already.
            next.Close();
            return true;
        }

        Volatile.Write(ref _limited, 1);

        lane.Retired = true;
        if (Volatile.Read(ref lane.InFlight) == 0)
        {
            lane.Close();
        }

        _switched(next.Version);
        return true;
    }

    /// <summary>
    /// Whether a failed request shows a host that limits connections: the connection failed
    /// before the request was sent (TCP or TLS, not a refused certificate), the lane could open
    /// more than one, and the host answered within <see cref="AnsweredWithin"/>, so it is up.
    /// </summary>
    internal static bool MeansLimited(HttpRequestError error, bool certificateRefused, int laneConnections, TimeSpan? sinceLastAnswer) =>
        BeforeTheRequest(error, certificateRefused)
        && laneConnections > 1
        && sinceLastAnswer is { } since && since <= AnsweredWithin;

    /// <summary>A connection that failed before a request went out on it (TCP or TLS), a refused certificate aside.</summary>
    private static bool BeforeTheRequest(HttpRequestError error, bool certificateRefused) =>
        error is HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError && !certificateRefused;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Volatile.Read(ref _current).Close();
        }
    }

    private TimeSpan? SinceLastAnswer()
    {
        var last = Interlocked.Read(ref _lastAnswer);
        return last == 0 ? null : Stopwatch.GetElapsedTime(last);
    }

    /// <summary>One way of reaching the host: a client, the HTTP version its requests ask for, and how many connections it may open.</summary>
    internal sealed class Lane(HttpClient client, Version version, int maxConnections)
    {
        private int _closed;

        public HttpClient Client { get; } = client;

        public Version Version { get; } = version;

        public int MaxConnections { get; } = maxConnections;

        /// <summary>Requests on this lane now.</summary>
        public int InFlight;

        /// <summary>Set once requests moved away; the lane closes when its last request ends.</summary>
        public volatile bool Retired;

        public void Close()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                Client.Dispose();
            }
        }
    }
}
