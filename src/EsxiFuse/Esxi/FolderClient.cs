using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Throughput;
using EsxiImport.Vim25;

using Serilog;

namespace EsxiImport.EsxiFuse.Esxi;

/// <summary>
/// The client of the host's datastore file API, <c>/folder</c>: HEAD for lookups, ranged GET for
/// reads. Every request carries Basic auth and, once the host handed one out, the
/// <c>vmware_soap_session</c> cookie; the number of requests in flight, retries included, follows
/// what the host takes (<see cref="AdaptiveGate"/>: from upstream's 4 up to
/// <see cref="FolderClientOptions.MaxRequestsInFlight"/>, cut on a 503); every attempt ends within
/// its time limits and keeps a minimum transfer rate (<see cref="TransferWatch"/>); transient
/// failures are retried as <see cref="RetryPolicy"/> decides. A body that is not exactly the bytes
/// asked for is never returned as data.
/// </summary>
public sealed partial class FolderClient : IRangeReader, IDisposable
{
    private readonly FolderClientOptions _options;
    private readonly HostConnections _connections;
    private readonly AdaptiveGate _gate;
    private readonly LimitLog _limitLog;
    private readonly RetryPolicy _retry;
    private readonly ILogger _log;
    private static readonly UriCreationOptions s_verbatim = new() { DangerousDisablePathAndQueryCanonicalization = true };
    private readonly string _origin;
    private readonly string _authorization;
    private readonly FolderClientStatistics _statistics = new();
    private string? _sessionCookie;
    private int _lastCertificateErrors;

    /// <summary>Creates a client; nothing is sent until the first call.</summary>
    /// <param name="options">Host, credentials and limits.</param>
    /// <param name="logger">Where retries (warnings) and requests (debug) are logged.</param>
    public FolderClient(FolderClientOptions options, ILogger? logger = null)
        : this(options, logger, null)
    {
    }

    /// <summary>A client whose requests go to <paramref name="transport"/> instead of the network (property tests script the host's answers).</summary>
    internal FolderClient(FolderClientOptions options, ILogger? logger, HttpMessageHandler? transport)
        : this(options, logger, transport, wrap: null)
    {
    }

    /// <summary>A client whose transport is handed through <paramref name="wrap"/> first (a diagnosis records the exchange).</summary>
    internal FolderClient(FolderClientOptions options, ILogger? logger, HttpMessageHandler? transport, Func<HttpMessageHandler, HttpMessageHandler>? wrap)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _log = (logger ?? Serilog.Core.Logger.None).ForContext<FolderClient>();
        _origin = options.Host.BaseUri(options.UseHttps).GetLeftPart(UriPartial.Authority);
        _authorization = options.BasicAuthorization;
        _limitLog = new LimitLog(LimitLogInterval, r => _log.Debug(
            "requests in flight limit {From} -> {To} ({Reason}, {Moves} moves)", r.From, r.To, r.Reason, r.Moves));
        _gate = new AdaptiveGate(
            options.AdaptiveRequests ? new ConcurrencyLimit(options.MaxRequestsInFlight) : ConcurrencyLimit.Pinned(options.MaxRequestsInFlight),
            moved: _limitLog.Moved);
        _retry = new RetryPolicy(options, _log, _statistics);
        var handler = transport ?? CreateHandler(options.MaxRequestsInFlight);
        var first = new HostConnections.Lane(
            new HttpClient(Wrapped(handler, wrap), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan }, options.HttpVersion, options.MaxRequestsInFlight);
        _connections = new HostConnections(
            first,
            transport is null ? (_, connections) => Wrapped(CreateHandler(connections), wrap) : null,
            _ => _log.Information("{Text:l}", Messages.Text("esxi.http.connection-limit")));
    }

    /// <summary>Request counters (in flight, peak, retries) for tests and benchmarks.</summary>
    public FolderClientStatistics Statistics => _statistics;

    /// <summary>The options the client runs with.</summary>
    public FolderClientOptions Options => _options;

    /// <summary>Requests that may be in flight now (the adaptive limit; the page cache's read-ahead follows it).</summary>
    public int? RequestLimit => _gate.Limit;

    /// <summary>The shortest time between two debug records of the moving limit.</summary>
    internal static TimeSpan LimitLogInterval { get; } = TimeSpan.FromSeconds(1);

    /// <inheritdoc/>
    public void Dispose()
    {
        _connections.Dispose();
        _limitLog.Dispose();
    }

    private static HttpMessageHandler Wrapped(HttpMessageHandler handler, Func<HttpMessageHandler, HttpMessageHandler>? wrap) =>
        wrap?.Invoke(handler) ?? handler;

    /// <summary>
    /// The receive window of each HTTP/2 stream: one read-ahead run (4 MiB), so a range request
    /// is never held up waiting for WINDOW_UPDATEs over the round trip to the host; .NET's
    /// default starts at 64 KiB and scales up within a stream, which a 4 MiB range barely has
    /// time to do.
    /// </summary>
    internal const int Http2StreamWindow = 4 << 20;

    private SocketsHttpHandler CreateHandler(int maxConnections) => new()
    {
        ConnectTimeout = _options.ConnectTimeout,

        // Cookies and redirects are ours to decide: only the session cookie is replayed, and
        // a redirect from /folder is a protocol error (libvirt and upstream agree).
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseProxy = false,
        MaxConnectionsPerServer = maxConnections,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
        InitialHttp2StreamWindowSize = Http2StreamWindow,
        SslOptions = new SslClientAuthenticationOptions
        {
            // With HTTP/2 asked for, the handler offers h2 and http/1.1 by ALPN
            // (RequestVersionOrLower); ESXi 8 answers h2, older hosts http/1.1.
            RemoteCertificateValidationCallback = (_, _, _, errors) =>
            {
                if (_options.SkipCertificateVerification || errors == SslPolicyErrors.None)
                {
                    return true;
                }

                Volatile.Write(ref _lastCertificateErrors, (int)errors);
                return false;
            },
            CertificateChainPolicy = ChainPolicy(_options.SkipCertificateVerification),
        },
    };

    /// <summary>
    /// The chain the TLS layer builds before it asks the callback. When verification is skipped
    /// the callback accepts any chain, so nothing named in the certificate (AIA intermediates,
    /// revocation lists) is fetched over the network: on a host without internet access such a
    /// fetch would hold the handshake, and so the start-up, until its timeout. Verifying uses the
    /// platform's defaults (null).
    /// </summary>
    internal static X509ChainPolicy? ChainPolicy(bool skipVerification) => skipVerification
        ? new X509ChainPolicy
        {
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        }
        : null;

    /// <summary>
    /// Runs <paramref name="request"/> under the retry policy and hands each response to
    /// <paramref name="interpret"/>, which throws <see cref="ToolError"/> for anything that is not
    /// a valid answer (retryable kinds are retried) and reads the body under the attempt's watch.
    /// </summary>
    private ValueTask<T> SendAsync<T, TState>(
        FolderRequest request,
        TState state,
        Func<HttpResponseMessage, TState, TransferWatch, ValueTask<T>> interpret,
        RemotePath target,
        CancellationToken cancellationToken) =>
        _retry.ExecuteAsync(
            new CallState(target),
            (Self: this, Request: request, State: state, Interpret: interpret),
            static (call, s, ct) => s.Self.AttemptAsync(call, s.Request, s.State, s.Interpret, ct),
            cancellationToken);

    private async ValueTask<T> AttemptAsync<T, TState>(
        CallState call,
        FolderRequest request,
        TState state,
        Func<HttpResponseMessage, TState, TransferWatch, ValueTask<T>> interpret,
        CancellationToken cancellationToken)
    {
        // The slot is taken per attempt, so a request waiting out its backoff holds none and
        // the limit counts retries too.
        await _gate.EnterAsync(cancellationToken).ConfigureAwait(false);
        var started = Stopwatch.GetTimestamp();
        var lane = _connections.Enter();
        long moved = 0;
        try
        {
            var left = _options.CallTimeout - call.Elapsed;
            using var watch = left < _options.RequestTimeout
                ? new TransferWatch(cancellationToken, left > TimeSpan.Zero ? left : TimeSpan.FromTicks(1), _options.CallTimeout, _options.SpeedLimit, _options.SpeedTime)
                : new TransferWatch(cancellationToken, _options.RequestTimeout, null, _options.SpeedLimit, _options.SpeedTime);
            try
            {
                for (var reauthenticated = false; ; reauthenticated = true)
                {
                    var cookie = Volatile.Read(ref _sessionCookie);
                    using var message = BuildMessage(request, cookie, lane.Version);
                    _statistics.RequestStarted();
                    try
                    {
                        _log.Debug("HTTP {Method} {Path} range {First}-{Last} cookie {HasCookie}", request.Method, request.PathAndQuery, request.RangeFirst, request.RangeLast, cookie is not null);
                        using var response = await lane.Client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, watch.Token).ConfigureAwait(false);
                        watch.Answered();
                        _connections.Answered();
                        _log.Debug("HTTP {Status} {Version} for {Path}", (int)response.StatusCode, response.Version, request.PathAndQuery);
                        RememberCookie(response);
                        if (response.StatusCode != HttpStatusCode.Unauthorized)
                        {
                            var result = await interpret(response, state, watch).ConfigureAwait(false);
                            moved = watch.Bytes;
                            return result;
                        }

                        if (cookie is null || reauthenticated)
                        {
                            throw ToolError.Of("esxi.http.authentication", ErrorKind.Authentication);
                        }

                        // The host forgot the session (idle timeout, restart): drop the cookie and
                        // log in again once with Basic; a second 401 means the password is wrong.
                        Interlocked.CompareExchange(ref _sessionCookie, null, cookie);
                        _statistics.Reauthenticated();
                        _log.Debug("session cookie refused; logging in again");
                    }
                    finally
                    {
                        _statistics.RequestEnded();
                    }
                }
            }
            catch (ToolError e) when (e.Kind == ErrorKind.RateLimited)
            {
                // Cut the limit before the slot is given back, so the retry queues behind it.
                call.OwnProbeBusy = _gate.Busy();
                throw;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A root error: "A task was canceled" below it would tell the user nothing.
                call.Timeouts++;
                throw watch.TimeoutError(_options.ConnectTimeout);
            }
            catch (HttpRequestException e)
            {
                // A refused connection on a host that limits them moves the requests to one
                // connection; the retry of this one takes it.
                if (_connections.ConnectFailed(lane, e, certificateRefused: Volatile.Read(ref _lastCertificateErrors) != 0))
                {
                    throw ToolError.Of("esxi.http.request-failed", ErrorKind.Transport, ("reason", Innermost(e)));
                }

                throw Classify(e);
            }
            catch (IOException e)
            {
                // A connection cut in the middle of a body (HttpIOException) or a reset.
                throw ToolError.Of("esxi.http.request-failed", ErrorKind.Transport, ("reason", Innermost(e)));
            }
        }
        finally
        {
            _connections.Leave(lane);
            _gate.Leave(moved, Stopwatch.GetElapsedTime(started));
        }
    }

    private HttpRequestMessage BuildMessage(FolderRequest request, string? cookie, Version version)
    {
        // System.Uri would turn %2D and %2E back into '-' and '.'; the path is sent byte for byte
        // as FolderUrl escaped it (only letters, digits, '/', '%', '?', '&' and '='), as upstream sends it.
        var uri = new Uri(_origin + request.PathAndQuery, s_verbatim);
        var message = new HttpRequestMessage(request.Method, uri)
        {
            Version = version,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        message.Headers.TryAddWithoutValidation("Authorization", _authorization);
        if (cookie is not null)
        {
            message.Headers.TryAddWithoutValidation("Cookie", cookie);
        }

        if (request.RangeFirst is long first)
        {
            message.Headers.Range = new RangeHeaderValue(first, request.RangeLast);
        }

        return message;
    }

    private void RememberCookie(HttpResponseMessage response)
    {
        if (SessionCookie.From(response) is { } cookie)
        {
            Volatile.Write(ref _sessionCookie, cookie);
        }
    }

    private ToolError Classify(HttpRequestException e)
    {
        switch (e.HttpRequestError)
        {
            case HttpRequestError.NameResolutionError:
                return ToolError.Of("esxi.http.name-resolution", ErrorKind.Transport, ("reason", Innermost(e)));
            case HttpRequestError.SecureConnectionError:
                var errors = (SslPolicyErrors)Interlocked.Exchange(ref _lastCertificateErrors, 0);
                if (errors != SslPolicyErrors.None)
                {
                    _log.Debug("certificate of {Host} refused: {Errors}: {Reason}", _options.Host, errors, Innermost(e));
                    return ToolError.Of("esxi.http.certificate", ErrorKind.Certificate);
                }

                return ToolError.Of("esxi.http.tls-failed", ErrorKind.Transport, ("reason", Innermost(e)));
            default:
                return ToolError.Of("esxi.http.request-failed", ErrorKind.Transport, ("reason", Innermost(e)));
        }
    }

    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e.Message;
    }
}
