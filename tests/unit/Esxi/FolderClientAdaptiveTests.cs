using System.Net;
using System.Net.Http.Headers;

using EsxiImport.EsxiFuse.Esxi;

using Serilog;
using Serilog.Events;

namespace EsxiImport.UnitTests.Esxi;

/// <summary>
/// The client's number of requests in flight follows the host: it rises above upstream's 4 while
/// many readers wait, a 503 its own probe drew cuts it and is retried at once (not after the
/// busy host's wait), and the fixed mode keeps exactly the number it was given.
/// </summary>
public sealed class FolderClientAdaptiveTests
{
    private static readonly byte[] Content = ScriptedFolderHost.Bytes(2 << 20, seed: 7);

    /// <summary>
    /// A host whose answers take a fixed time each (the pace is set per request, as hostd's) and
    /// that answers 503 on arrival above <paramref name="threshold"/> requests in flight.
    /// </summary>
    private sealed class PerRequestHost(int? threshold) : HttpMessageHandler
    {
        private int _inFlight;
        private int _busy;
        private int _peak;

        public int Busy => Volatile.Read(ref _busy);

        public int Peak => Volatile.Read(ref _peak);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref _inFlight);
            try
            {
                if (now > threshold)
                {
                    Interlocked.Increment(ref _busy);
                    return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("busy") };
                }

                for (var peak = Volatile.Read(ref _peak); now > peak && Interlocked.CompareExchange(ref _peak, now, peak) != peak; peak = Volatile.Read(ref _peak))
                {
                }

                await Task.Delay(20, cancellationToken);
                var range = request.Headers.Range!.Ranges.Single();
                var (first, last) = ((int)range.From!.Value, (int)range.To!.Value);
                var content = new ByteArrayContent(Content[first..(last + 1)]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                content.Headers.ContentRange = new ContentRangeHeaderValue(first, last, Content.Length);
                return new HttpResponseMessage(HttpStatusCode.PartialContent) { Content = content };
            }
            finally
            {
                // Before the client sees the answer, so the host never counts one the client let go.
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    private static FolderClientOptions Options(bool adaptive = true, int ceiling = 16) => ScriptedFolderHost.FastOptions(443, attempts: 5) with
    {
        Host = HostAddress.Parse("esxi.invalid"),
        MaxRequestsInFlight = ceiling,
        AdaptiveRequests = adaptive,

        // A busy host's wait longer than a call may take: a 503 not drawn by the probe fails its read.
        RateLimitDelay = TimeSpan.FromMinutes(10),
    };

    /// <summary>16 readers read the whole file in 16 KiB pieces, twice, and check every byte.</summary>
    private static async Task ReadEverythingAsync(FolderClient client)
    {
        const int Piece = 16 << 10;
        var next = -1;
        var pieces = 2 * Content.Length / Piece;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            var buffer = new byte[Piece];
            for (var i = Interlocked.Increment(ref next); i < pieces; i = Interlocked.Increment(ref next))
            {
                var offset = (long)i * Piece % Content.Length;
                (await client.ReadAsync(ScriptedFolderHost.Disk, Content.Length, offset, buffer)).Should().Be(Piece);
                buffer.AsSpan().SequenceEqual(Content.AsSpan((int)offset, Piece)).Should().BeTrue($"the bytes at {offset}");
            }
        })));
    }

    [Fact]
    public async Task On_a_host_that_refuses_above_five_the_probe_draws_503s_that_cost_no_read_and_the_limit_ends_at_five()
    {
        var host = new PerRequestHost(threshold: 5);
        var sink = new CollectingSink();
        var log = new LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(sink).CreateLogger();
        int? finalLimit;
        using (var client = new FolderClient(Options(), log, host))
        {
            await ReadEverythingAsync(client);

            host.Busy.Should().BeGreaterThan(0, "slow start went from 4 to 6, one above the host's number");
            finalLimit = client.RequestLimit;
            finalLimit.Should().BeLessThanOrEqualTo(5);
            client.Statistics.Retries.Should().Be(host.Busy, "every 503 was retried once, at once");
        }

        sink.Lines(LogEventLevel.Warning).Should().BeEmpty("a 503 drawn by our own probe is not the host's trouble");

        // The first move is written at once; moves within a second of a record fold into the next
        // one (with the last move's reason), so which record says "Busy" depends on the machine's
        // speed. The last record, written when the client ends, shows where the limit ended.
        var moves = sink.Lines(LogEventLevel.Debug).Where(l => l.StartsWith("requests in flight limit ", StringComparison.Ordinal)).ToList();
        moves[0].Should().StartWith("requests in flight limit 4 -> 6 (Probe");
        moves[^1].Should().Contain($" -> {finalLimit} (");
    }

    [Fact]
    public async Task On_a_host_without_a_threshold_many_readers_raise_the_number_in_flight_above_four()
    {
        var host = new PerRequestHost(threshold: null);
        using var client = new FolderClient(Options(), null, host);

        await ReadEverythingAsync(client);

        // Whether later probes pay depends on the machine's speed; the first raise does not.
        host.Busy.Should().Be(0);
        host.Peak.Should().BeGreaterThan(4).And.BeLessThanOrEqualTo(16);
    }

    [Fact]
    public async Task The_fixed_mode_keeps_its_number_however_many_readers_wait()
    {
        var host = new PerRequestHost(threshold: 4);
        using var client = new FolderClient(Options(adaptive: false, ceiling: 4), null, host);

        await ReadEverythingAsync(client);

        (host.Busy, host.Peak, client.RequestLimit).Should().Be((0, 4, 4));
    }
}
