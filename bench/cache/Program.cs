using System.Diagnostics;
using System.Globalization;

using EsxiImport.CacheBench;
using EsxiImport.EsxiFuse.Caching;
using EsxiImport.EsxiFuse.Esxi;

// A timed loop, not BenchmarkDotNet: the figures that matter are ratios between ways of reading
// the same bytes in the same run on a shared, noisy machine. Usage: [file MiB] [rounds]
var sizeMiB = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 256;
var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
var content = new byte[sizeMiB << 20];
new Random(42).NextBytes(content);
await using var server = await RangeServer.StartAsync(content);
var file = new RemotePath("ha-datacenter", "datastore1", "vm/disk-flat.vmdk");
var results = new List<(string Name, double MiBps, string Note)>();

foreach (var https in new[] { false, true })
{
    var scheme = https ? "https(h2)" : "http/1.1";
    var port = https ? server.HttpsPort : server.HttpPort;
    var options = new FolderClientOptions
    {
        Host = HostAddress.Parse($"127.0.0.1:{port}"),
        User = "root",
        Password = "bench",
        UseHttps = https,
        SkipCertificateVerification = true,
    };

    var curl = Best(rounds, () => Curl(https, port));
    results.Add(($"{scheme} curl single stream", curl, "the practical limit"));

    using (var client = new FolderClient(options))
    {
        var direct = Best(rounds, () => DirectRanges(client, file, content.Length, 1 << 20));
        results.Add(($"{scheme} FolderClient 1 MiB ranges, one at a time", direct, string.Empty));
    }

    foreach (var pageSize in new[] { 1 << 20, 4 << 20 })
    {
        using var client = new FolderClient(options);
        PageCacheStatistics? stats = null;
        var cached = Best(rounds, () =>
        {
            using var cache = new PageCache(client, new PageCacheOptions { PageSize = pageSize });
            var mibps = Sequential(cache, file, content, 128 << 10);
            stats = cache.Statistics;
            return mibps;
        });
        results.Add(($"{scheme} PageCache {pageSize >> 20} MiB pages, 128 KiB reads", cached,
            $"peak {stats!.PeakAllocatedPages} pages, peak {client.Statistics.PeakInFlight} requests in flight"));
    }

    using (var client = new FolderClient(options))
    using (var cache = new PageCache(client, new PageCacheOptions { PageSize = 64 << 10, MaxReadAheadPages = 0 }))
    {
        var (iops, p50, p99) = RandomReads(cache, file, content, 2000);
        results.Add(($"{scheme} random 4 KiB reads via 64 KiB pages", double.NaN,
            string.Create(CultureInfo.InvariantCulture, $"{iops:0} IOPS, p50 {p50:0.00} ms, p99 {p99:0.00} ms")));
    }
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"file {sizeMiB} MiB, best of {rounds}, {Environment.ProcessorCount} cores"));
foreach (var (name, mibps, note) in results)
{
    var baseline = results.First(r => r.Name.StartsWith(name.Split(' ')[0], StringComparison.Ordinal) && r.Name.EndsWith("curl single stream", StringComparison.Ordinal)).MiBps;
    var ratio = double.IsNaN(mibps) ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"{mibps / baseline:0.00}x");
    var speed = double.IsNaN(mibps) ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"{mibps:0} MiB/s");
    Console.WriteLine($"{name,-58} {speed,12} {ratio,7}  {note}");
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 >> 20} MiB (includes the {sizeMiB} MiB served file)"));

// Each run builds its own cache; collecting between runs keeps earlier caches' pages from
// inflating the peak working set printed at the end.
double Best(int n, Func<double> run) => Enumerable.Range(0, n).Select(_ =>
{
    GC.Collect();
    return run();
}).Max();

double Curl(bool https, int port)
{
    var watch = Stopwatch.StartNew();
    using var process = Process.Start(new ProcessStartInfo("curl", $"-s -k -o /dev/null {(https ? "https" : "http")}://127.0.0.1:{port}/folder/x")
    {
        RedirectStandardOutput = true,
    })!;
    process.WaitForExit();
    return (content.Length / 1048576.0) / watch.Elapsed.TotalSeconds;
}

double DirectRanges(FolderClient client, RemotePath target, long size, int chunk)
{
    var buffer = new byte[chunk];
    var watch = Stopwatch.StartNew();
    for (long offset = 0; offset < size; offset += chunk)
    {
        client.ReadAsync(target, size, offset, buffer).AsTask().GetAwaiter().GetResult();
    }

    return (size / 1048576.0) / watch.Elapsed.TotalSeconds;
}

double Sequential(PageCache cache, RemotePath target, byte[] expected, int chunk)
{
    var buffer = new byte[chunk];
    var watch = Stopwatch.StartNew();
    for (long offset = 0; offset < expected.Length; offset += chunk)
    {
        var n = cache.ReadAsync(target, expected.Length, offset, buffer).AsTask().GetAwaiter().GetResult();
        if (!buffer.AsSpan(0, n).SequenceEqual(expected.AsSpan((int)offset, n)))
        {
            throw new InvalidOperationException($"wrong bytes at {offset}");
        }
    }

    return (expected.Length / 1048576.0) / watch.Elapsed.TotalSeconds;
}

(double Iops, double P50, double P99) RandomReads(PageCache cache, RemotePath target, byte[] expected, int count)
{
    var random = new Random(7);
    var buffer = new byte[4096];
    var latencies = new double[count];
    var total = Stopwatch.StartNew();
    for (var i = 0; i < count; i++)
    {
        var offset = (long)random.Next(expected.Length / 4096) * 4096;
        var watch = Stopwatch.StartNew();
        cache.ReadAsync(target, expected.Length, offset, buffer).AsTask().GetAwaiter().GetResult();
        latencies[i] = watch.Elapsed.TotalMilliseconds;
    }

    Array.Sort(latencies);
    return (count / total.Elapsed.TotalSeconds, latencies[count / 2], latencies[(int)(count * 0.99)]);
}