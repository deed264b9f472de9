using System.Globalization;
using System.Text.RegularExpressions;

using EsxiImport.Emulator.Http;
using EsxiImport.Emulator.Scenarios;
using EsxiImport.IntegrationTests.Mount;

namespace EsxiImport.IntegrationTests.Reliability;

/// <summary>
/// The number of requests in flight through a real mount on the emulator's host model: on a host
/// that answers 503 above 4 the tool probes, draws some 503s, settles at 4 or below and reads every
/// byte without an error; on a host that sets the pace per request and refuses nothing it rises
/// above upstream's 4.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(ReliabilityCollection.Name)]
public sealed partial class AdaptiveRequestsTests
{
    private const long DiskBytes = 96L << 20;

    private static readonly TimeSpan ReadBound = TimeSpan.FromSeconds(120);

    /// <summary>A 503 the host draws by itself (not our probe) is waited out briefly here, not 10 s.</summary>
    private static readonly IReadOnlyDictionary<string, string> ShortBusyWait = new Dictionary<string, string>
    {
        ["ESXI_FUSE_RATE_LIMIT_DELAY_MS"] = "200",
    };

    [GeneratedRegex(@"^requests in flight limit (\d+) -> (\d+) \((\w+), (\d+) moves\)$")]
    private static partial Regex LimitRecord();

    private static async Task<ToolMount> MountAsync(HostLimits limits, IReadOnlyDictionary<string, string>? environment = null)
    {
        var mount = await ToolMount.StartEmulatorAsync(DiskScenario.Of([DiskBytes]), new EmulatorOptions { Limits = limits });
        try
        {
            (await mount.LaunchAsync(new ToolMountOptions { LogLevel = "debug", Environment = environment ?? ShortBusyWait })).Should().BeEmpty();
            return mount;
        }
        catch
        {
            await mount.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every move of the limit the tool logged, in order, once the last one is out (at most a second later).</summary>
    private static async Task<List<(int From, int To, string Reason)>> LimitMovesAsync(ToolMount mount)
    {
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        return [.. mount.SyslogRecords
            .Select(r => LimitRecord().Match(r))
            .Where(m => m.Success)
            .Select(m => (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), m.Groups[3].Value))];
    }

    [Fact]
    public async Task On_a_host_that_refuses_above_four_every_byte_is_read_and_the_limit_settles_at_four_or_below()
    {
        var throttling = HostProfiles.Find("throttling")!;
        throttling.MaxFolderRequestsInFlight.Should().Be(4);
        await using var mount = await MountAsync(throttling);

        var outcome = await DiskReader.ReadAsync(mount.DiskPath(0)).WaitAsync(ReadBound);

        outcome.Error.Should().BeNull("a 503 drawn by the probe is retried, never a failed read; stderr: {0}", mount.Stderr);
        outcome.Sha256.Should().Equal(mount.ExpectedSha256(0));
        mount.Host.Counters.RejectedBusy.Should().BeGreaterThan(0, "the probe went above the host's 4");
        var moves = await LimitMovesAsync(mount);
        moves.Should().Contain(m => m.To > 4, "the limit probed above upstream's 4");
        moves.Should().Contain(m => m.Reason == "Busy");
        moves.Last().To.Should().BeLessThanOrEqualTo(4, "the limit settled where the host takes its requests");
        mount.SyslogRecords.Should().NotContain(r => r.StartsWith("error reading", StringComparison.Ordinal));
    }

    [Fact]
    public async Task On_a_host_that_sets_the_pace_per_request_and_refuses_nothing_the_limit_rises_above_four()
    {
        var slowStreams = new HostLimits { StreamBytesPerSecond = 8L << 20, FirstByteDelay = TimeSpan.FromMilliseconds(5) };
        await using var mount = await MountAsync(slowStreams);

        var outcome = await DiskReader.ReadAsync(mount.DiskPath(0)).WaitAsync(ReadBound);

        outcome.Error.Should().BeNull("stderr: {0}", mount.Stderr);
        outcome.Sha256.Should().Equal(mount.ExpectedSha256(0));
        mount.Host.Counters.RejectedBusy.Should().Be(0);
        mount.Host.Counters.MaxFolderInFlight.Should().BeGreaterThan(5, "one sequential reader's read-ahead follows the limit");
        var moves = await LimitMovesAsync(mount);
        moves.Should().NotBeEmpty().And.Contain(m => m.Reason == "Probe" && m.To > 4);
        moves.Should().OnlyContain(m => m.To <= 16, "16 is the default ceiling");
    }

    [Fact]
    public async Task The_fixed_mode_keeps_four_in_flight_and_the_limit_never_moves()
    {
        var slowStreams = new HostLimits { StreamBytesPerSecond = 16L << 20, FirstByteDelay = TimeSpan.FromMilliseconds(5) };
        await using var mount = await MountAsync(slowStreams, new Dictionary<string, string> { ["ESXI_FUSE_FIXED_REQUESTS"] = "1" });

        var outcome = await DiskReader.ReadAsync(mount.DiskPath(0)).WaitAsync(ReadBound);

        outcome.Sha256.Should().Equal(mount.ExpectedSha256(0));
        // 5 only when a request arrives before the host has counted the one before it out.
        mount.Host.Counters.MaxFolderInFlight.Should().BeInRange(4, 5);
        (await LimitMovesAsync(mount)).Should().BeEmpty();
    }
}
