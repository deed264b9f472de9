using System.Globalization;
using System.Text;

using EsxiImport.Diagnostics;

namespace EsxiImport.EsxiFuse.Esxi;

/// <summary>
/// Settings of a <see cref="FolderClient"/>. The defaults are the production ones: HTTPS with
/// certificate verification, at most 4 requests in flight (what upstream ships so ESXi is not
/// bombarded, FB-25), and every request bounded in time so a hung host ends in an error.
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

    /// <summary>Requests in flight at once to the host, retries included.</summary>
    public int MaxRequestsInFlight { get; init; } = 4;

    /// <summary>
    /// The HTTP version asked for. 1.1 by default, over up to <see cref="MaxRequestsInFlight"/>
    /// connections: on the same host a range read then costs less CPU on both ends and moves
    /// its bytes faster than HTTP/2 streams sharing one connection (bench/results), and ESXi is
    /// reported to throttle per connection. 2.0 offers h2 by ALPN and falls back to 1.1.
    /// </summary>
    public Version HttpVersion { get; init; } = System.Net.HttpVersion.Version11;

    /// <summary>Time to open a TCP connection and finish the TLS handshake.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Time one attempt may take, from sending the request to the last body byte.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Attempts per call for transient failures (503, 500/502/504, reset, short body, timeout).</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>First backoff delay; it doubles per retry, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Upper bound of one backoff delay.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

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
        Check(ConnectTimeout > TimeSpan.Zero && ConnectTimeout != Timeout.InfiniteTimeSpan, "ConnectTimeout", ConnectTimeout);
        Check(RequestTimeout > TimeSpan.Zero && RequestTimeout != Timeout.InfiniteTimeSpan, "RequestTimeout", RequestTimeout);
        Check(RetryBaseDelay >= TimeSpan.Zero, "RetryBaseDelay", RetryBaseDelay);
        Check(RetryMaxDelay >= RetryBaseDelay, "RetryMaxDelay", RetryMaxDelay);
        Check(HttpVersion == System.Net.HttpVersion.Version11 || HttpVersion == System.Net.HttpVersion.Version20, "HttpVersion", HttpVersion);
    }

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
            .Append(CultureInfo.InvariantCulture, $"MaxRequestsInFlight = {MaxRequestsInFlight}, HttpVersion = {HttpVersion}, MaxAttempts = {MaxAttempts}, ")
            .Append(CultureInfo.InvariantCulture, $"ConnectTimeout = {ConnectTimeout}, RequestTimeout = {RequestTimeout}");
        return true;
    }
}
