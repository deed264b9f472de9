using System.Collections.Concurrent;
using System.Diagnostics;

using EsxiImport.Emulator.Faults;
using EsxiImport.Emulator.Scenarios;

using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace EsxiImport.Emulator.Http;

/// <summary>
/// How fast the emulated host serves /folder (<see cref="HostLimits"/>): a limit on open TCP
/// connections (enforced on accept, before TLS), a time to first byte per request, and three
/// byte rates that pace answer bodies together — per request, per connection (all its h2
/// streams), and for the whole host. A body slice is sent when every pacer that applies has
/// room for it (<see cref="BandwidthPacer"/>), so the slowest limit decides, as on a real host.
/// </summary>
internal sealed class HostModel(HostLimits limits, EmulatorCounters counters)
{
    private readonly BandwidthPacer? _total = limits.TotalBytesPerSecond is { } t ? new BandwidthPacer(t, BandwidthPacer.DefaultSlack) : null;
    private readonly ConcurrentDictionary<string, BandwidthPacer> _connections = new(StringComparer.Ordinal);

    public HostLimits Limits => limits;

    /// <summary>Kestrel connection middleware: refuses connections above the limit and gives each one its pacer.</summary>
    public ConnectionDelegate Connections(ConnectionDelegate next) => async connection =>
    {
        if (!counters.TryOpenConnection(limits.MaxConnections))
        {
            // Closed without a byte: what a client sees from a host at its connection limit.
            return;
        }

        if (limits.ConnectionBytesPerSecond is { } rate)
        {
            _connections[connection.ConnectionId] = new BandwidthPacer(rate, BandwidthPacer.DefaultSlack);
        }

        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            _connections.TryRemove(connection.ConnectionId, out _);
            counters.CloseConnection();
        }
    };

    /// <summary>Waits the time to first byte and paces the answer's body, for a /folder request that the host serves.</summary>
    public async Task ShapeFolderAnswerAsync(HttpContext context)
    {
        if (limits.FirstByteDelay is { } delay && delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, context.RequestAborted).ConfigureAwait(false);
        }

        if (!limits.PacesBodies)
        {
            return;
        }

        List<BandwidthPacer> pacers = [];
        if (limits.StreamBytesPerSecond is { } stream)
        {
            pacers.Add(new BandwidthPacer(stream, BandwidthPacer.DefaultSlack));
        }

        if (_connections.TryGetValue(context.Connection.Id, out var connection))
        {
            pacers.Add(connection);
        }

        if (_total is not null)
        {
            pacers.Add(_total);
        }

        var original = context.Features.Get<IHttpResponseBodyFeature>()!;
        var paced = new PacedStream(original.Stream, pacers);
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(paced, original));
    }
}

/// <summary>Sends bytes in slices, each when every pacer has room for it.</summary>
internal static class Pacing
{
    private static readonly long Origin = Stopwatch.GetTimestamp();

    /// <summary>Now on the pacers' clock (monotonic).</summary>
    public static TimeSpan Now => Stopwatch.GetElapsedTime(Origin);

    /// <summary>
    /// The slice for a rate: about 50 slices a second (smooth enough for a client's timeouts and
    /// for the rates of several pacers to interleave), at most 256 KiB, at least one byte.
    /// </summary>
    public static int SliceFor(long bytesPerSecond) => (int)Math.Clamp(bytesPerSecond / 50, 1, 256 << 10);

    /// <summary>Writes <paramref name="data"/> to <paramref name="inner"/> slice by slice, each after its reservation on every pacer is due.</summary>
    public static async Task SendAsync(Stream inner, ReadOnlyMemory<byte> data, IReadOnlyList<BandwidthPacer> pacers, Action<int> sent, CancellationToken ct)
    {
        var slice = SliceFor(pacers.Min(p => p.BytesPerSecond));
        while (data.Length > 0)
        {
            var n = Math.Min(slice, data.Length);
            var now = Now;
            var due = now;
            foreach (var pacer in pacers)
            {
                var t = pacer.Reserve(n, now);
                due = t > due ? t : due;
            }

            if (due > now)
            {
                await Task.Delay(due - now, ct).ConfigureAwait(false);
            }

            await inner.WriteAsync(data[..n], ct).ConfigureAwait(false);
            await inner.FlushAsync(ct).ConfigureAwait(false);
            sent(n);
            data = data[n..];
        }
    }
}

/// <summary>The response body of a paced /folder answer.</summary>
internal sealed class PacedStream(Stream inner, IReadOnlyList<BandwidthPacer> pacers) : WriteOnlyStream(inner)
{
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        await Pacing.SendAsync(Inner, buffer, pacers, n => Sent += n, cancellationToken).ConfigureAwait(false);
}
