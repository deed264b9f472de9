using EsxiImport.Emulator.Http;
using EsxiImport.IntegrationTests.Mount;
using EsxiImport.IntegrationTests.Reliability;

namespace EsxiImport.IntegrationTests.Peers.Netfilter;

/// <summary>
/// The move to HTTP/2 on a host that limits connections, against a limit this project did not
/// write: the kernel's connlimit resets every connection to the emulator's port above two, and
/// the emulator itself takes any number. The tool must tell this from a host that is down (a
/// connection refused while others answer), say so in syslog once, move to one HTTP/2
/// connection and read every byte. The emulator's own esxi8-connections profile closes an
/// accepted connection instead; this refusal happens before accept, as a firewall or a host's
/// connection table would do it.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(ReliabilityCollection.Name)]
public sealed class KernelConnectionLimitTests
{
    private const long DiskBytes = 64L << 20;

    [Fact]
    public async Task Connections_the_kernel_refuses_above_two_move_the_reads_to_HTTP2_and_every_byte_is_read()
    {
        await using var mount = await ToolMount.StartEmulatorAsync(DiskScenario.Of([DiskBytes]), new EmulatorOptions());
        await using var rule = await ConnectionLimitRule.AddAsync(mount.Host.BaseUri.Port, limit: 2);
        var environment = new Dictionary<string, string> { ["ESXI_FUSE_RATE_LIMIT_DELAY_MS"] = "200" };

        (await mount.LaunchAsync(new ToolMountOptions { Environment = environment })).Should().BeEmpty();
        var outcome = await DiskReader.ReadAsync(mount.DiskPath(0)).WaitAsync(TimeSpan.FromSeconds(120));

        mount.ShouldHaveMovedToHttp2(outcome);
    }
}
