using EsxiImport.Emulator.Http;
using EsxiImport.Emulator.Scenarios;
using EsxiImport.IntegrationTests.Mount;

namespace EsxiImport.IntegrationTests.Reliability;

/// <summary>
/// A host that limits connections (the emulator's esxi8-connections profile: 2 connections, the
/// third closed on accept, as ESXi 8 is reported to do): the tool, starting on HTTP/1.1 with
/// several connections, sees a connection refused while the host answers on others, says so in
/// syslog, moves its requests to HTTP/2 on one connection and reads every byte. Before, every
/// read past the second connection failed with EIO.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(ReliabilityCollection.Name)]
public sealed class ConnectionLimitTests
{
    private const long DiskBytes = 64L << 20;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task On_a_host_that_limits_connections_the_requests_move_to_HTTP2_and_every_byte_is_read(bool fixedFour)
    {
        var limited = HostProfiles.Find("esxi8-connections")!;
        limited.MaxConnections.Should().Be(2);
        await using var mount = await ToolMount.StartEmulatorAsync(DiskScenario.Of([DiskBytes]), new EmulatorOptions { Limits = limited });
        var environment = new Dictionary<string, string> { ["ESXI_FUSE_RATE_LIMIT_DELAY_MS"] = "200" };
        if (fixedFour)
        {
            environment["ESXI_FUSE_FIXED_REQUESTS"] = "1";
            environment["ESXI_FUSE_MAX_ATTEMPTS"] = "5";
        }

        (await mount.LaunchAsync(new ToolMountOptions { Environment = environment, ExtraArguments = fixedFour ? ["--max-requests", "4"] : [] })).Should().BeEmpty();

        var outcome = await DiskReader.ReadAsync(mount.DiskPath(0)).WaitAsync(TimeSpan.FromSeconds(120));

        mount.ShouldHaveMovedToHttp2(outcome);
        mount.Host.Counters.ConnectionsRefused.Should().BeGreaterThan(0, "the tool opened more connections than the host takes");
    }
}
