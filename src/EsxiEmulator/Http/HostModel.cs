using System.Collections.Concurrent;

using EsxiImport.Emulator.Faults;
using EsxiImport.Emulator.Pacing;
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
