using System.Diagnostics;

using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Esxi;

namespace EsxiImport.EsxiFuse.Diagnose;

/// <summary>
/// The host's answers on the largest data file the VM survey found: the headers of one HEAD,
/// HEAD latency (median of a few), one stream over a bounded read, then 1, 2, 4 and 8 parallel
/// range streams until the host answers 503. Every run is bounded in bytes and in time, so a
/// slow or huge host costs at most <see cref="Budget"/>; <c>--diagnose-quick</c> keeps only the
/// headers.
/// </summary>
internal sealed class HostMeasurements(HostProbe probe, bool quick)
{
    public const int HeadSamples = 5;
    public const long OneStreamBytes = 64L << 20;
    public const long ParallelBytes = 32L << 20;
    public static readonly TimeSpan OneStreamTime = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan ParallelTime = TimeSpan.FromSeconds(5);
    public static readonly int[] Levels = [1, 2, 4, HostProbe.MaxStreams];

    /// <summary>The most the measurements take: one stream plus every level, plus the HEADs' own time limits.</summary>
    public static TimeSpan Budget => OneStreamTime + (ParallelTime * Levels.Length);

    public async Task<HostFacts> RunAsync(HostFacts facts, IReadOnlyList<(RemotePath Path, long Bytes)> dataFiles, CancellationToken cancellationToken)
    {
        if (dataFiles.Count == 0)
        {
            return facts with { MeasurementNote = Messages.Text("diagnose.host.no-data-file") };
        }

        var (file, size) = dataFiles.OrderByDescending(f => f.Bytes).ThenBy(f => f.Path.ToString(), StringComparer.Ordinal).First();
        facts = facts with { ProbeFile = $"[{file.Datastore}] {file.Path}", ProbeFileBytes = size };
        using var headLimit = Deadline(OneStreamTime, cancellationToken);
        var head = await probe.SendAsync(HttpMethod.Head, file, null, headLimit.Token).ConfigureAwait(false);
        if (head.Failure is not null || head.Status is < 200 or > 299)
        {
            return facts with { MeasurementNote = Messages.Format("diagnose.host.head-failed", ("reason", head.Failure ?? head.Status.ToString(System.Globalization.CultureInfo.InvariantCulture))) };
        }

        facts = facts with { AcceptRanges = head.AcceptRanges };
        if (quick)
        {
            return facts with { MeasurementNote = Messages.Text("diagnose.host.quick") };
        }

        var latencies = new List<double>();
        for (var i = 0; i < HeadSamples; i++)
        {
            using var limit = Deadline(OneStreamTime, cancellationToken);
            var answer = await probe.SendAsync(HttpMethod.Head, file, null, limit.Token).ConfigureAwait(false);
            if (answer.Failure is null)
            {
                latencies.Add(answer.HeadersAfter.TotalMilliseconds);
            }
        }

        facts = facts with { HeadLatencyMs = Median(latencies), HeadSamples = latencies.Count };
        var one = await StreamsAsync(file, size, 1, OneStreamBytes, OneStreamTime, cancellationToken).ConfigureAwait(false);
        var levels = new List<Throughput>();
        int? firstRejected = null;
        foreach (var streams in Levels)
        {
            var level = await StreamsAsync(file, size, streams, ParallelBytes, ParallelTime, cancellationToken).ConfigureAwait(false);
            levels.Add(level);
            if (level.Rejected > 0)
            {
                firstRejected = streams;
                break;
            }
        }

        return facts with { OneStream = one, Parallel = levels, FirstRejectedStreams = firstRejected };
    }

    /// <summary><paramref name="streams"/> range requests side by side, each over its own share of the first <paramref name="bytes"/> of the file.</summary>
    private async Task<Throughput> StreamsAsync(RemotePath file, long size, int streams, long bytes, TimeSpan time, CancellationToken cancellationToken)
    {
        var total = Math.Min(bytes, size);
        var share = Math.Max(1, total / streams);
        using var limit = Deadline(time, cancellationToken);
        var clock = Stopwatch.StartNew();
        var answers = await Task.WhenAll(Enumerable.Range(0, streams).Select(i =>
        {
            var first = Math.Min(i * share, Math.Max(0, size - 1));
            var last = Math.Min(i == streams - 1 ? total - 1 : first + share - 1, size - 1);
            return probe.SendAsync(HttpMethod.Get, file, (first, Math.Max(first, last)), limit.Token);
        })).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        var rejected = answers.Count(a => a.Status == 503);
        var failed = answers.Where(a => a.Status != 503 && (a.Failure is not null || a.Status != 206)).ToList();
        var reason = failed.Select(a => a.Failure ?? a.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
        return new Throughput(streams, answers.Sum(a => a.Bytes), seconds, rejected, failed.Count, reason);
    }

    private static CancellationTokenSource Deadline(TimeSpan time, CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        source.CancelAfter(time);
        return source;
    }

    private static double? Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
