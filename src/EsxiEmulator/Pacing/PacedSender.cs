using System.Diagnostics;

namespace EsxiImport.Emulator.Pacing;

/// <summary>Sends bytes in slices, each when every pacer has room for it.</summary>
internal static class PacedSender
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
        await PacedSender.SendAsync(Inner, buffer, pacers, n => Sent += n, cancellationToken).ConfigureAwait(false);
}
