using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Esxi;

namespace EsxiImport.UnitTests.Esxi;

/// <summary>
/// The retry policy with the production defaults: a throttling host gets at least upstream's 40 s
/// of patience, other transient failures keep the short backoff, a timeout is repeated once,
/// final failures never, and no wait runs past the call's time.
/// </summary>
public sealed class RetryPolicyTests
{
    private static readonly FolderClientOptions Defaults = new()
    {
        Host = HostAddress.Parse("127.0.0.1:443"),
        User = "root",
        Password = "s3cret",
    };

    private static readonly RemotePath Disk = new("ha-datacenter", "datastore1", "vm1/vm1-flat.vmdk");

    private static RetryPolicy Policy(FolderClientOptions? options = null) =>
        new(options ?? Defaults, Serilog.Core.Logger.None, new FolderClientStatistics());

    private static List<TimeSpan?> Delays(RetryPolicy policy, ToolError error, int attempts)
    {
        var call = new CallState(Disk);
        return [.. Enumerable.Range(1, attempts).Select(failed => policy.NextDelay(error, failed, call))];
    }

    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    public void Throttling_is_waited_out_for_at_least_40_seconds_over_5_attempts_as_upstream_does(int status)
    {
        using var response = new HttpResponseMessage((System.Net.HttpStatusCode)status);
        var error = ResponseChecks.StatusError(response);

        var delays = Delays(Policy(), error, 5);

        error.Kind.Should().Be(ErrorKind.RateLimited);
        delays[..4].Should().OnlyContain(d => d >= TimeSpan.FromSeconds(10) && d <= TimeSpan.FromSeconds(10.5));
        delays[4].Should().BeNull("the fifth failed attempt is the last");
        delays[..4].Sum(d => d!.Value.TotalSeconds).Should().BeGreaterThanOrEqualTo(40);
    }

    [Fact]
    public void Other_transient_failures_keep_the_short_exponential_backoff()
    {
        var error = ToolError.Of("esxi.http.status", ErrorKind.Transport, ("status", "502 Bad Gateway"));

        var delays = Delays(Policy(), error, 5);

        delays[4].Should().BeNull();
        var waits = delays[..4].Select(d => d!.Value.TotalSeconds).ToList();
        waits.Should().OnlyContain(w => w > 0 && w <= 10);
        waits.Sum().Should().BeInRange(5, 10, "0.5 + 1 + 2 + 4 s, each ±20 %");
    }

    [Fact]
    public void A_timeout_is_repeated_once()
    {
        var policy = Policy();
        var call = new CallState(Disk);
        var timeout = ToolError.Of("esxi.http.no-answer", ErrorKind.Timeout, ("seconds", "10"));

        call.Timeouts = 1;
        policy.NextDelay(timeout, 1, call).Should().NotBeNull();
        call.Timeouts = 2;
        policy.NextDelay(timeout, 2, call).Should().BeNull();
    }

    [Theory]
    [InlineData(ErrorKind.General, "esxi.http.status")]
    [InlineData(ErrorKind.General, "esxi.http.redirect")]
    [InlineData(ErrorKind.NotFound, "esxi.http.not-found")]
    [InlineData(ErrorKind.Authentication, "esxi.http.authentication")]
    [InlineData(ErrorKind.Certificate, "esxi.http.certificate")]
    [InlineData(ErrorKind.Transport, "esxi.http.name-resolution")]
    [InlineData(ErrorKind.Transport, "esxi.http.tls-failed")]
    public void Final_failures_are_never_retried(ErrorKind kind, string id)
    {
        var error = id switch
        {
            "esxi.http.status" => ToolError.Of(id, kind, ("status", "403 Forbidden")),
            "esxi.http.redirect" => ToolError.Of(id, kind, ("status", "301 Moved Permanently"), ("location", "/folder/")),
            "esxi.http.name-resolution" or "esxi.http.tls-failed" => ToolError.Of(id, kind, ("reason", "x")),
            _ => ToolError.Of(id, kind),
        };

        RetryPolicy.IsRetryable(error).Should().BeFalse();
        Policy().NextDelay(error, 1, new CallState(Disk)).Should().BeNull();
    }

    [Fact]
    public void No_wait_runs_past_the_call_timeout()
    {
        var policy = Policy(Defaults with { CallTimeout = TimeSpan.FromSeconds(25) });
        var throttled = ToolError.Of("esxi.http.rate-limited", ErrorKind.RateLimited);

        // 10 s after the call started, a 10 s wait still fits; 20 s after it does not.
        var delays = Delays(policy, throttled, 1);
        delays[0].Should().NotBeNull();
        policy.NextDelay(throttled, 1, new CallState(Disk, TimeSpan.FromSeconds(20))).Should().BeNull();
        policy.NextDelay(throttled, 1, new CallState(Disk, TimeSpan.FromSeconds(10))).Should().NotBeNull();
    }

    [Fact]
    public void The_production_limits_fit_the_promises()
    {
        // A read fails within 2 minutes: the kernel asks twice after a failed read-ahead.
        (2 * Defaults.CallTimeout).Should().BeLessThan(TimeSpan.FromMinutes(2));

        // The 40 s of throttling fit one call, with time for five quick answers.
        ((Defaults.MaxAttempts - 1) * Defaults.RateLimitDelay * 1.05).Should().BeLessThan(Defaults.CallTimeout - TimeSpan.FromSeconds(5));

        // A silent host at start-up is reported within 30 s: two attempts of one connect or speed period.
        (Defaults.MaxTimeoutAttempts * Defaults.ConnectTimeout + (Defaults.RetryBaseDelay * 1.2)).Should().BeLessThan(TimeSpan.FromSeconds(30));
        (Defaults.MaxTimeoutAttempts * Defaults.SpeedTime * 1.25 + (Defaults.RetryBaseDelay * 1.2)).Should().BeLessThan(TimeSpan.FromSeconds(30));
    }
}
