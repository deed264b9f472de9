using System.Net.Sockets;

using EsxiImport.Emulator.Pacing;

using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace EsxiImport.Emulator.Faults;

/// <summary>A body-phase fault: what happens once <see cref="AtBytes"/> body bytes have been sent.</summary>
internal sealed record BodyFault(FaultRule Rule, FaultAction Action, long? AtBytes);

/// <summary>
/// The response body stream a request gets when a body-phase fault applies to it: it counts the
/// bytes, and at each fault's byte position delays, trickles, truncates (full Content-Length
/// announced, fewer bytes sent, then the connection is closed) or resets the connection.
/// Requests without body faults never see this wrapper, so they keep Kestrel's direct writer.
/// </summary>
internal sealed class ShapingStream(Stream inner, HttpContext context, IReadOnlyList<BodyFault> faults, Action<FaultRule> countHit, RequestLogEntry entry)
    : WriteOnlyStream(inner)
{
    private readonly bool[] _fired = new bool[faults.Count];
    private BandwidthPacer? _trickle;
    private bool _dead;

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (buffer.Length > 0)
        {
            if (_dead)
            {
                throw new OperationCanceledException("the connection was closed by an injected fault");
            }

            // The next byte position where some fault still has to fire, within this buffer.
            var take = buffer.Length;
            for (var i = 0; i < faults.Count; i++)
            {
                if (!_fired[i] && CutOf(faults[i]) is var cut && cut >= Sent && cut < Sent + take)
                {
                    take = (int)(cut - Sent);
                }
            }

            if (take > 0)
            {
                await SendAsync(buffer[..take], cancellationToken).ConfigureAwait(false);
                buffer = buffer[take..];
            }

            for (var i = 0; i < faults.Count; i++)
            {
                if (!_fired[i] && CutOf(faults[i]) <= Sent)
                {
                    _fired[i] = true;
                    countHit(faults[i].Rule);
                    await FireAsync(faults[i].Action, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task FireAsync(FaultAction action, CancellationToken ct)
    {
        switch (action)
        {
            case FaultAction.Delay d:
                await Inner.FlushAsync(ct).ConfigureAwait(false);
                await Task.Delay(d.Milliseconds, ct).ConfigureAwait(false);
                break;
            case FaultAction.Truncate:
                await DrainAsync(ct).ConfigureAwait(false);
                _dead = true;
                context.Abort();
                break;
            case FaultAction.ResetMidBody:
                await DrainAsync(ct).ConfigureAwait(false);
                _dead = true;
                Reset(context);
                break;
        }
    }

    /// <summary>
    /// Flushes and gives the transport a moment to put the bytes on the wire: Kestrel's abort
    /// discards output it has not sent yet, and the point of the fault is that the bytes before
    /// the cut do arrive.
    /// </summary>
    private async Task DrainAsync(CancellationToken ct)
    {
        await Inner.FlushAsync(ct).ConfigureAwait(false);
        await Task.Delay(50, ct).ConfigureAwait(false);
    }

    private async Task SendAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        var trickle = TrickleRate();
        if (trickle is not { } bps)
        {
            await Inner.WriteAsync(data, ct).ConfigureAwait(false);
            entry.AddBytes(data.Length);
            Sent += data.Length;
            return;
        }

        if (_trickle?.BytesPerSecond != bps)
        {
            _trickle = new BandwidthPacer(bps, BandwidthPacer.DefaultSlack);
        }

        await PacedSender.SendAsync(Inner, data, [_trickle], n =>
        {
            entry.AddBytes(n);
            Sent += n;
        }, ct).ConfigureAwait(false);
    }

    private long? TrickleRate()
    {
        for (var i = 0; i < faults.Count; i++)
        {
            if (faults[i].Action is FaultAction.Trickle t && CutOf(faults[i]) <= Sent)
            {
                if (!_fired[i])
                {
                    _fired[i] = true;
                    countHit(faults[i].Rule);
                }

                return t.BytesPerSecond;
            }
        }

        return null;
    }

    /// <summary>The byte position of a fault: its after-bytes N, else half the announced length (trickle and delay: the start).</summary>
    private long CutOf(BodyFault f) => f.AtBytes
        ?? (f.Action is FaultAction.Truncate or FaultAction.ResetMidBody ? (context.Response.ContentLength ?? 2) / 2 : 0);

    /// <summary>Drops the connection with a TCP reset where the transport allows it (linger 0), else aborts it.</summary>
    internal static void Reset(HttpContext context)
    {
        if (context.Features.Get<IConnectionSocketFeature>()?.Socket is Socket socket && context.Request.Protocol != "HTTP/2")
        {
            try
            {
                socket.LingerState = new LingerOption(true, 0);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // The socket is already gone; aborting below is all that is left to do.
            }
        }

        context.Abort();
    }
}
