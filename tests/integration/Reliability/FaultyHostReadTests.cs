using EsxiImport.Emulator.Http;
using EsxiImport.IntegrationTests.Mount;

namespace EsxiImport.IntegrationTests.Reliability;

/// <summary>
/// Long reads under seeded host faults. In CI scaled down from 16 readers × 1 GiB to 8 readers ×
/// 128 MiB (1 GiB in all) so the suite fits its time budget on 2 shared cores; the fault mix and
/// rate are 5 % of range requests over ten kinds, among them answers that contradict the file's
/// size (416 inside it, a smaller total, a 200 for a range, a short 200). The full size runs by hand with
/// <c>ESXI_RELIABILITY_READERS=16 ESXI_RELIABILITY_DISK_MIB=1024</c> (README, "Reliability").
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(ReliabilityCollection.Name)]
public sealed class FaultyHostReadTests
{
    private const int ToolRequestLimit = 4;

    private static readonly int Readers = SizeFromEnvironment("ESXI_RELIABILITY_READERS", 8);

    private static readonly long DiskBytes = (long)SizeFromEnvironment("ESXI_RELIABILITY_DISK_MIB", 128) << 20;

    /// <summary>
    /// No single read may take longer than this, whatever the faults (2 s delays included):
    /// 150 s per GiB read in all, which is far above what a healthy run takes on 2 busy cores.
    /// </summary>
    private static readonly TimeSpan ReadBound = TimeSpan.FromSeconds(150 * Math.Max(1.0, Readers * DiskBytes / (double)(1L << 30)));

    // 5 % of GETs of a flat extent in total: ten kinds at 0.5 % each, each with its own seed, four
    // of them answers that contradict the file's size. The two rules of a short 200 share a seed
    // and come first, so they see the same requests and fire together.
    private static readonly string[] FaultMix =
    [
        "folder:GET:*-flat.vmdk:probability:0.005:20:size:1048576",
        "folder:GET:*-flat.vmdk:probability:0.005:20:ignore-range",
        "folder:GET:*-flat.vmdk:probability:0.005:11:status:500",
        "folder:GET:*-flat.vmdk:probability:0.005:12:status:503",
        "folder:GET:*-flat.vmdk:probability:0.005:13:reset-mid-body",
        "folder:GET:*-flat.vmdk:probability:0.005:14:truncate",
        "folder:GET:*-flat.vmdk:probability:0.005:15:content-type:text/html",
        "folder:GET:*-flat.vmdk:probability:0.005:16:delay:2000",
        "folder:GET:*-flat.vmdk:probability:0.005:17:status:416",
        "folder:GET:*-flat.vmdk:probability:0.005:18:size:4096",
        "folder:GET:*-flat.vmdk:probability:0.005:19:ignore-range",
    ];

    [Fact]
    public async Task Parallel_long_reads_under_faults_return_the_right_bytes_or_EIO_and_stay_within_the_request_limit()
    {
        var scenario = DiskScenario.Of(Enumerable.Repeat(DiskBytes, Readers).ToList(), hostLimit: 8);
        await using var mount = await ToolMount.StartEmulatorAsync(scenario, new EmulatorOptions { FaultRules = FaultMix });
        var ready = await mount.StartToolAsync(["--max-requests", ToolRequestLimit.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        ready.Should().BeEmpty();

        var reads = Enumerable.Range(0, Readers).Select(i => DiskReader.ReadAsync(mount.DiskPath(i))).ToArray();
        var all = Task.WhenAll(reads);
        (await Task.WhenAny(all, Task.Delay(ReadBound + TimeSpan.FromSeconds(30)))).Should().BeSameAs(all, "no read may hang");
        var outcomes = await all;

        var faults = mount.Host.Counters.AllFaultHits;
        faults.Should().BeGreaterThan(0, "the seeded mix must have fired, or this test proves nothing");
        for (var i = 0; i < Readers; i++)
        {
            var o = outcomes[i];
            o.Elapsed.Should().BeLessThan(ReadBound);
            if (o.Error is null)
            {
                o.Sha256.Should().Equal(mount.ExpectedSha256(i), "reader {0} must never see wrong bytes", i);
            }
            else
            {
                o.Error.HResult.Should().Be(5, "a read that cannot be completed fails with EIO, reader {0}: {1}", i, o.Error.Message);
            }
        }

        outcomes.Count(o => o.Error is null).Should().BeGreaterThanOrEqualTo(Readers - 1, "retries should carry almost every read through a 5 % fault rate");
        // The host counts a request until it has written the last byte; the tool frees its slot
        // as soon as it rejects a response (wrong type, short body) and closes the connection.
        // So the host may see one request more than --max-requests, and only right after a
        // faulted response: anything else is a retry storm.
        var entries = mount.Host.RequestLog.Entries.ToList();
        var unexplained = entries.Select((e, i) => (e, i))
            .Where(x => x.e.ConcurrencyAtArrival > ToolRequestLimit
                && (x.e.ConcurrencyAtArrival > ToolRequestLimit + 1
                    || !entries.Skip(Math.Max(0, x.i - 2 * ToolRequestLimit)).Take(Math.Min(x.i, 2 * ToolRequestLimit)).Any(p => p.FaultsApplied.Count > 0)))
            .Select(x => $"{x.e.Method} {x.e.Subject} {x.e.Range} in flight {x.e.ConcurrencyAtArrival}")
            .ToList();
        unexplained.Should().BeEmpty("retries must keep within --max-requests {0}", ToolRequestLimit);
        mount.Host.Counters.MaxFolderInFlight.Should().BeLessThanOrEqualTo(ToolRequestLimit + 1);
        Console.WriteLine($"fault mix: {faults} faults fired over {mount.Host.Counters.FolderRequests} /folder requests; " +
            $"{outcomes.Count(o => o.Error is null)}/{Readers} reads complete; peak in flight {mount.Host.Counters.MaxFolderInFlight}");
    }

    [Fact]
    public async Task Host_busy_503s_are_retried_and_the_in_flight_limit_holds()
    {
        // The host allows two /folder requests at once; the tool may send four. Every one above
        // the host limit gets 503 and must be retried later, never in a storm.
        var scenario = DiskScenario.Of([32L << 20, 32L << 20], hostLimit: 2);
        await using var mount = await ToolMount.StartEmulatorAsync(scenario);
        (await mount.StartToolAsync(["--max-requests", "4"])).Should().BeEmpty();

        var outcomes = await Task.WhenAll(DiskReader.ReadAsync(mount.DiskPath(0)), DiskReader.ReadAsync(mount.DiskPath(1)));

        outcomes.Select(o => o.Error).Should().AllSatisfy(e => e.Should().BeNull());
        outcomes[0].Sha256.Should().Equal(mount.ExpectedSha256(0));
        outcomes[1].Sha256.Should().Equal(mount.ExpectedSha256(1));
        mount.Host.Counters.MaxFolderInFlight.Should().BeLessThanOrEqualTo(4);
    }

    private static int SizeFromEnvironment(string variable, int fallback) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } text
            ? int.Parse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture)
            : fallback;
}
