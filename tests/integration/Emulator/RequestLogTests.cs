using EsxiImport.IntegrationTests.Fuse;
using EsxiImport.IntegrationTests.Replay;

namespace EsxiImport.IntegrationTests.Emulator;

/// <summary>
/// <c>esxi-emulator --request-log FILE</c> as curl (a client this project did not write) sees the
/// host: one line per request with range, status, bytes, in-flight count and rules fired; and
/// the <c>chunked</c> fault action as curl reads it off the wire.
/// </summary>
public sealed class RequestLogTests
{
    private const string Vmx = "folder/db01/db01.vmx?dcPath=ha-datacenter&dsName=datastore1";

    [Fact]
    public async Task Each_request_is_one_line_with_range_status_bytes_in_flight_and_rules_fired()
    {
        using var dir = new TempDir("request-log-");
        using var runner = new ProcessRunner();
        var log = Path.Combine(dir.Path, "requests.log");
        var host = await EmulatorProcess.StartAsync(runner, "--scenario", "default", "--request-log", log, "--fault", "folder:HEAD:*.vmx:first:1:status:503");
        var auth = host.User + ":" + host.Password;

        var head = await Curl.RunAsync("-sk", "--http1.1", "-I", "-o", "/dev/null", "-w", "%{http_code}", "-u", auth, host.Url + Vmx);
        var range = await Curl.RunAsync("-sk", "--http2", "-r", "0-99", "-o", "/dev/null", "-w", "%{http_code}", "-u", auth, host.Url + Vmx);
        (head.Stdout, range.Stdout).Should().Be(("503", "206"));
        (await host.StopAsync()).Should().Be(0);

        var lines = await File.ReadAllLinesAsync(log);
        lines.Should().HaveCount(2);
        const string Time = @"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z ";
        const string Target = @" /folder/db01/db01\.vmx\?dcPath=ha-datacenter&dsName=datastore1 ";
        lines[0].Should().MatchRegex(Time + "#1 HEAD" + Target + @"HTTP/1\.1 range=- in-flight=1 -> 503 [0-9]+ B [0-9]+\.[0-9] ms rules=1$");
        lines[1].Should().MatchRegex(Time + "#2 GET" + Target + @"HTTP/2 range=bytes=0-99 in-flight=1 -> 206 100 B [0-9]+\.[0-9] ms rules=-$");
    }

    [Fact]
    public async Task A_request_log_that_cannot_be_written_is_one_line_and_exit_2()
    {
        using var runner = new ProcessRunner();
        var result = await runner.RunAsync(EmulatorProcess.Program, ["--scenario", "default", "--request-log", "/nonexistent/requests.log"]);
        result.ExitCode.Should().Be(2);
        result.StdoutText.Should().BeEmpty("nothing was served");
        result.Stderr.Should().StartWith("esxi-emulator: cannot write the request log '/nonexistent/requests.log': ").And.EndWith("\n");
        result.Stderr.TrimEnd('\n').Should().NotContain("\n");
    }

    [Theory]
    [InlineData("--http1.1", "transfer-encoding: chunked")]
    [InlineData("--http2", null)]
    public async Task The_chunked_action_sends_the_same_bytes_without_a_Content_Length(string protocol, string? framing)
    {
        using var dir = new TempDir("chunked-");
        using var runner = new ProcessRunner();
        var host = await EmulatorProcess.StartAsync(runner, "--scenario", "default", "--fault", "folder:GET:*-flat.vmdk:first:1:chunked");
        var auth = host.User + ":" + host.Password;
        var url = host.Url + "folder/db01/db01-flat.vmdk?dcPath=ha-datacenter&dsName=datastore1";
        var chunked = Path.Combine(dir.Path, "chunked");
        var plain = Path.Combine(dir.Path, "plain");

        var first = await Curl.RunAsync("-sSk", protocol, "-D", "-", "-o", chunked, "-r", "1000-1999999", "-u", auth, url);
        var second = await Curl.RunAsync("-sSk", protocol, "-D", "-", "-o", plain, "-r", "1000-1999999", "-u", auth, url);
        (await host.StopAsync()).Should().Be(0);

        first.ExitCode.Should().Be(0, first.Stderr);
        var headers = first.Stdout.ToLowerInvariant();
        headers.Should().NotContain("content-length:").And.Contain("content-range: bytes 1000-1999999/");
        if (framing is not null)
        {
            headers.Should().Contain(framing);
        }

        second.Stdout.ToLowerInvariant().Should().Contain("content-length: 1999000");
        (await File.ReadAllBytesAsync(chunked)).Should().Equal(await File.ReadAllBytesAsync(plain));
        new FileInfo(chunked).Length.Should().Be(1999000);
    }
}
