using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Esxi;

using WireMock.ResponseBuilders;

namespace EsxiImport.UnitTests.Esxi;

/// <summary>
/// Every wait of the client is bounded: a host that never answers or trickles fails an attempt
/// after one speed period (and only one more attempt follows), a call never outlasts its time,
/// and throttling is waited out over the configured delays (shortened here from 10 s).
/// </summary>
public sealed class FolderClientTimeLimitTests : IDisposable
{
    private readonly ScriptedFolderHost _host = new();

    public void Dispose() => _host.Dispose();

    private static FolderClientOptions Fast(int port, int attempts = 5, int speedTimeMs = 10000) =>
        ScriptedFolderHost.FastOptions(port, attempts) with { SpeedLimit = 1000, SpeedTime = TimeSpan.FromMilliseconds(speedTimeMs) };

    /// <summary>Headers of a 206 for bytes 0-999 of a 1000-byte file, then one body byte every <paramref name="interval"/>.</summary>
    private static async Task TrickleAsync(Socket socket, TimeSpan interval, CancellationToken ct)
    {
        await socket.SendAsync(Encoding.ASCII.GetBytes(
            "HTTP/1.1 206 Partial Content\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 0-999/1000\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n"), ct);
        for (var i = 0; i < 1000; i++)
        {
            await socket.SendAsync(new byte[] { (byte)i }, ct);
            await Task.Delay(interval, ct);
        }
    }

    [Fact]
    public async Task A_trickling_host_fails_after_one_speed_period_per_attempt_and_two_attempts()
    {
        await using var peer = new RawHttpPeer((_, socket, ct) => TrickleAsync(socket, TimeSpan.FromMilliseconds(50), ct));
        using var client = new FolderClient(Fast(peer.Port, speedTimeMs: 300));
        var clock = Stopwatch.StartNew();

        var act = () => client.ReadAsync(ScriptedFolderHost.Disk, 1000, 0, new byte[1000]).AsTask();

        var error = (await act.Should().ThrowAsync<ToolError>()).Which;
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3), "two periods of 0.3 s, not the request timeout");
        error.Kind.Should().Be(ErrorKind.Timeout);
        error.Chain()[^1].Should().MatchRegex(@"^the host sent \d+ bytes in 0\.3 s, slower than the minimum of 1000 bytes/s$");
        peer.Heads.Should().HaveCount(2, "a timed-out attempt is repeated once, not five times");
    }

    [Fact]
    public async Task A_body_faster_than_the_limit_arrives_whole_however_long_it_takes()
    {
        var body = ScriptedFolderHost.Bytes(1000);
        await using var peer = new RawHttpPeer(async (_, socket, ct) =>
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes(
                "HTTP/1.1 206 Partial Content\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 0-999/1000\r\nContent-Length: 1000\r\n\r\n"), ct);
            for (var i = 0; i < 1000; i += 50)
            {
                await socket.SendAsync(body.AsMemory(i, 50), ct);
                await Task.Delay(20, ct);
            }
        });
        using var client = new FolderClient(Fast(peer.Port));
        var buffer = new byte[1000];

        (await client.ReadAsync(ScriptedFolderHost.Disk, 1000, 0, buffer)).Should().Be(1000);

        buffer.Should().Equal(body);
    }

    [Fact]
    public async Task A_host_that_accepts_and_never_answers_is_reported_after_two_speed_periods()
    {
        await using var peer = new RawHttpPeer((_, _, ct) => Task.Delay(Timeout.Infinite, ct));
        using var client = new FolderClient(Fast(peer.Port, speedTimeMs: 300));
        var clock = Stopwatch.StartNew();

        var act = () => client.AuthenticateAsync("ha-datacenter", "datastore1");

        var error = (await act.Should().ThrowAsync<ToolError>()).Which;
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3));
        error.Chain()[^1].Should().Be("the host did not answer within 0.3 s");
        peer.Heads.Should().HaveCount(2);
    }

    [Fact]
    public async Task An_attempt_is_cut_at_the_calls_time_and_says_so()
    {
        _host.Server.Given(ScriptedFolderHost.Get()).RespondWith(Response.Create().WithStatusCode(500).WithDelay(TimeSpan.FromMilliseconds(150)));
        using var client = new FolderClient(Fast(_host.Server.Port, attempts: 100) with
        {
            SpeedTime = TimeSpan.FromSeconds(30),
            CallTimeout = TimeSpan.FromMilliseconds(400),
        });
        var clock = Stopwatch.StartNew();

        var act = () => client.ReadAsync(ScriptedFolderHost.Disk, 100, 0, new byte[10]).AsTask();

        var error = (await act.Should().ThrowAsync<ToolError>()).Which;
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
        error.Chain()[^1].Should().BeOneOf("no complete answer within 0.4 s, retries included", "http error code 500 Internal Server Error");
        _host.Requests.Count.Should().BeInRange(2, 4, "attempts of 150 ms in a call of 400 ms");
    }

    [Fact]
    public async Task Throttling_is_waited_out_over_every_attempt_with_upstreams_numbering()
    {
        _host.Server.Given(ScriptedFolderHost.Get()).RespondWith(Response.Create().WithStatusCode(503));
        var warnings = new List<string>();
        var logger = new Serilog.LoggerConfiguration().WriteTo.Sink(new ListSink(warnings)).CreateLogger();
        using var client = new FolderClient(Fast(_host.Server.Port) with { RateLimitDelay = TimeSpan.FromMilliseconds(100) }, logger);
        var clock = Stopwatch.StartNew();

        var act = () => client.ReadAsync(ScriptedFolderHost.Disk, 100, 0, new byte[10]).AsTask();

        (await act.Should().ThrowAsync<ToolError>()).Which.Kind.Should().Be(ErrorKind.RateLimited);
        clock.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(400), "four waits of the rate-limit delay");
        _host.Requests.Should().HaveCount(5);
        warnings.Should().Equal(Enumerable.Range(1, 4).Select(n => $"rate limited, retrying ({n} of 5)..."));
    }

    private sealed class ListSink(List<string> lines) : Serilog.Core.ILogEventSink
    {
        public void Emit(Serilog.Events.LogEvent logEvent)
        {
            lock (lines)
            {
                lines.Add(logEvent.RenderMessage());
            }
        }
    }
}
