using EsxiImport.Diagnostics;
using EsxiImport.IntegrationTests.Mount;

namespace EsxiImport.IntegrationTests.Reliability;

/// <summary>
/// What a mount on a host that limits connections must show, whoever enforces the limit (the
/// emulator's profile or the kernel): every byte right, the move said once in syslog, the reads
/// gone on over HTTP/2 to the end, and no failed read.
/// </summary>
internal static class Http2MoveChecks
{
    public static void ShouldHaveMovedToHttp2(this ToolMount mount, ReadOutcome outcome)
    {
        outcome.Error.Should().BeNull("stderr: {0}", mount.Stderr);
        outcome.Sha256.Should().Equal(mount.ExpectedSha256(0));
        mount.SyslogRecords.Should().ContainSingle(r => r == Messages.Text("esxi.http.connection-limit"));
        var log = mount.Host.RequestLog.Entries;
        log.Should().Contain(e => e.Protocol == "HTTP/2", "the reads went on over HTTP/2");
        log.TakeLast(5).Should().OnlyContain(e => e.Protocol == "HTTP/2", "the last reads came over HTTP/2");
        mount.SyslogRecords.Should().NotContain(r => r.StartsWith("error reading", StringComparison.Ordinal));
    }
}
