using System.Globalization;
using System.Text;

using EsxiImport.Diagnostics;

namespace EsxiImport.EsxiFuse.Esxi;

/// <summary>
/// Settings of a <see cref="FolderClient"/>. The defaults are the production ones: HTTPS with
/// certificate verification, requests in flight starting at upstream's 4 (what upstream ships so
/// ESXi is not bombarded, FB-25) and adapting to the host up to <see cref="DefaultMaxRequests"/>,
/// and every wait bounded so a hung or trickling host ends in an error a user
/// sees within minutes, while a throttling host gets at least upstream's 40 s of patience.
/// </summary>
public sealed record FolderClientOptions
{
    /// <summary>The ESXi host (and port).</summary>
    public required HostAddress Host { get; init; }

    /// <summary>The user name for HTTP Basic authentication.</summary>
    public required string User { get; init; }

    /// <summary>The password; never printed by <see cref="ToString"/>.</summary>
    public required string Password { get; init; }

    /// <summary>HTTPS (production). Plain HTTP exists for tests and the benchmark's comparison.</summary>
    public bool UseHttps { get; init; } = true;

    /// <summary>Accept any server certificate (<c>--skip-cert-verification</c>).</summary>
    public bool SkipCertificateVerification { get; init; }

    /// <summary>
    /// The default ceiling of requests in flight (<c>--max-requests</c>). A host that sets the
    /// pace per request needs about total ÷ per-request rate of them: 9 for the fastest field
    /// figure (25 GbE NVMe, 315 MiB/s at 35 MiB/s a request), and a slow per-request host that
    /// refuses above 8 is held at 8 by its 503s. 16 leaves room above both while the host sees
    /// at most 16 connections, and 16 read-ahead runs of 4 MiB take a quarter of the default
    /// cache budget.
    /// </summary>
    public const int DefaultMaxRequests = 16;

    /// <summary>
    /// The most requests in flight at once to the host, retries included: the ceiling of the
    /// adaptive limit, or the fixed number when <see cref="AdaptiveRequests"/> is off.
    /// </summary>
    public int MaxRequestsInFlight { get; init; } = DefaultMaxRequests;

    /// <summary>
    /// True (the default): the number in flight starts at upstream's 4 and follows the host
    /// (<see cref="Throughput.ConcurrencyLimit"/>). False: exactly <see cref="MaxRequestsInFlight"/>
    /// slots, whatever the host answers (the fixed behaviour, kept for comparison).
    /// </summary>
    public bool AdaptiveRequests { get; init; } = true;

    /// <summary>
    /// The HTTP version asked for. 1.1 by default, over up to <see cref="MaxRequestsInFlight"/>
    /// connections: on the same host a range read then costs less CPU on both ends and moves
    /// its bytes faster than HTTP/2 streams sharing one connection (bench/results), and ESXi is
    /// reported to throttle per connection. 2.0 offers h2 by ALPN and falls back to 1.1. With 1.1,
    /// a host that refuses connections over a limit moves the client to h2 on one connection
    /// (<see cref="HostConnections"/>).
    /// </summary>
    public Version HttpVersion { get; init; } = System.Net.HttpVersion.Version11;

    /// <summary>Time to open a TCP connection and finish the TLS handshake.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time one attempt may take, from sending the request to the last body byte.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The slowest transfer an attempt may keep up (curl's <c>--speed-limit</c>): an attempt that
    /// moves fewer bytes per second than this, averaged over <see cref="SpeedTime"/>, fails. The
    /// wait for the answer's headers is the first such period, so a host that accepts the
    /// request and says nothing fails after <see cref="SpeedTime"/> too.
    /// </summary>
    public long SpeedLimit { get; init; } = 16 << 10;

    /// <summary>The period over which <see cref="SpeedLimit"/> is averaged (curl's <c>--speed-time</c>).</summary>
    public TimeSpan SpeedTime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Time one call (a lookup or a range read) may take, every attempt and every wait between
    /// them included: no retry starts that would wait beyond it, and the last attempt is cut at it.
    /// The kernel asks again once after a failed read-ahead, so two calls fit in two minutes.
    /// </summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(55);

    /// <summary>Attempts per call for transient failures (503/429, 500/502/504, reset, short body, timeout).</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>
    /// Attempts per call that may end in a timeout (no answer, or too slow): a host that let a
    /// whole attempt pass without answering is not helped by more waiting, and one more attempt
    /// covers a lost connection. So a silent host is reported within two connect or speed periods.
    /// </summary>
    public int MaxTimeoutAttempts { get; init; } = 2;

    /// <summary>First backoff delay of other transient failures; it doubles per retry, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Upper bound of one backoff delay.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The wait after a throttling answer (503, 429) before the next attempt, as upstream waits:
    /// with 5 attempts that is at least 40 s of patience for a busy host.
    /// </summary>
    public TimeSpan RateLimitDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The <c>Authorization</c> header value. Basic auth encodes <c>user:password</c> as UTF-8
    /// (FB-04: a non-ASCII password must log in on both the listing and the mount side).
    /// </summary>
    internal string BasicAuthorization => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(User + ":" + Password));

    /// <summary>Refuses settings that would make the client hang or never send a request.</summary>
    internal void Validate()
    {
        Check(MaxRequestsInFlight >= 1, "MaxRequestsInFlight", MaxRequestsInFlight);
        Check(MaxAttempts >= 1, "MaxAttempts", MaxAttempts);
        Check(MaxTimeoutAttempts >= 1, "MaxTimeoutAttempts", MaxTimeoutAttempts);
        Check(IsBounded(ConnectTimeout), "ConnectTimeout", ConnectTimeout);
        Check(IsBounded(RequestTimeout), "RequestTimeout", RequestTimeout);
        Check(IsBounded(SpeedTime), "SpeedTime", SpeedTime);
        Check(IsBounded(CallTimeout), "CallTimeout", CallTimeout);
        Check(SpeedLimit >= 0, "SpeedLimit", SpeedLimit);
        Check(RetryBaseDelay >= TimeSpan.Zero, "RetryBaseDelay", RetryBaseDelay);
        Check(RetryMaxDelay >= RetryBaseDelay, "RetryMaxDelay", RetryMaxDelay);
        Check(RateLimitDelay >= TimeSpan.Zero, "RateLimitDelay", RateLimitDelay);
        Check(HttpVersion == System.Net.HttpVersion.Version11 || HttpVersion == System.Net.HttpVersion.Version20, "HttpVersion", HttpVersion);
    }

    private static bool IsBounded(TimeSpan limit) => limit > TimeSpan.Zero && limit != Timeout.InfiniteTimeSpan;

    private static void Check(bool ok, string setting, object value)
    {
        if (!ok)
        {
            throw ToolError.Of(
                "esxi.http.invalid-options",
                ErrorKind.InvalidInput,
                ("setting", setting),
                ("value", Convert.ToString(value, CultureInfo.InvariantCulture)));
        }
    }

    // Records print every property; the password must never reach a log line this way.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"Host = {Host}, User = {User}, UseHttps = {UseHttps}, ")
            .Append(CultureInfo.InvariantCulture, $"SkipCertificateVerification = {SkipCertificateVerification}, ")
            .Append(CultureInfo.InvariantCulture, $"MaxRequestsInFlight = {MaxRequestsInFlight}, AdaptiveRequests = {AdaptiveRequests}, HttpVersion = {HttpVersion}, MaxAttempts = {MaxAttempts}, ")
            .Append(CultureInfo.InvariantCulture, $"ConnectTimeout = {ConnectTimeout}, RequestTimeout = {RequestTimeout}, ")
            .Append(CultureInfo.InvariantCulture, $"SpeedLimit = {SpeedLimit}, SpeedTime = {SpeedTime}, CallTimeout = {CallTimeout}, RateLimitDelay = {RateLimitDelay}");
        return true;
    }
}
