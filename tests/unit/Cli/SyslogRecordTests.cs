using System.Net.Sockets;
using System.Text;

using EsxiImport.EsxiFuse.Logging;

using Serilog.Events;

namespace EsxiImport.UnitTests.Cli;

public sealed class SyslogRecordTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("esxi-syslog-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_record_is_rfc3164_with_facility_daemon_and_a_space_padded_day()
    {
        var bytes = SyslogRecord.Format(LogEventLevel.Error, new DateTime(2026, 3, 5, 7, 8, 9), 4242, "Error: a\n b");
        Encoding.UTF8.GetString(bytes).Should().Be("<27>Mar  5 07:08:09 esxi-folder-fuse[4242]: Error: a\n b");
        Encoding.UTF8.GetString(SyslogRecord.Format(LogEventLevel.Information, new DateTime(2026, 11, 25, 21, 0, 0), 1, "x"))
            .Should().StartWith("<30>Nov 25 21:00:00 ");
        SyslogRecord.Severity(LogEventLevel.Warning).Should().Be(4);
        SyslogRecord.Severity(LogEventLevel.Fatal).Should().Be(2);
        SyslogRecord.Severity(LogEventLevel.Debug).Should().Be(7);
    }

    [Fact]
    public void The_sink_sends_one_datagram_per_event_to_the_socket()
    {
        var path = Path.Combine(_dir, "log");
        using var server = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        server.Bind(new UnixDomainSocketEndPoint(path));
        server.ReceiveTimeout = 5000;
        var complaints = new StringWriter();
        using (var log = new ToolLog(LogEventLevel.Information, debug: false, path, complaints))
        {
            log.Text(LogEventLevel.Information, "esxi fuse mount {ready}");
            log.EarlyError("Error: a\n b");
        }

        var buffer = new byte[4096];
        var first = Encoding.UTF8.GetString(buffer, 0, server.Receive(buffer));
        first.Should().MatchRegex(@"^<30>[A-Z][a-z]{2} [ 0-9]\d \d\d:\d\d:\d\d esxi-folder-fuse\[\d+\]: esxi fuse mount \{ready\}$");
        var second = Encoding.UTF8.GetString(buffer, 0, server.Receive(buffer));
        second.Should().EndWith($"esxi-folder-fuse[{Environment.ProcessId}]: Error: a\n b").And.StartWith("<27>");
        complaints.ToString().Should().BeEmpty();
    }

    [Fact]
    public void The_early_error_reaches_syslog_even_with_logging_off()
    {
        var path = Path.Combine(_dir, "log");
        using var server = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        server.Bind(new UnixDomainSocketEndPoint(path));
        server.ReceiveTimeout = 5000;
        using (var log = new ToolLog(null, debug: false, path, new StringWriter()))
        {
            log.Text(LogEventLevel.Error, "dropped");
            log.EarlyError("Error: only this");
        }

        var buffer = new byte[4096];
        Encoding.UTF8.GetString(buffer, 0, server.Receive(buffer)).Should().EndWith(": Error: only this");
    }

    [Fact]
    public void A_missing_socket_is_reported_once_and_logging_goes_on()
    {
        var complaints = new StringWriter();
        var path = Path.Combine(_dir, "absent");
        using (var log = new ToolLog(LogEventLevel.Debug, debug: true, path, complaints))
        {
            log.Text(LogEventLevel.Information, "one");
            log.Text(LogEventLevel.Information, "two");
            log.StopStderr();
            log.Text(LogEventLevel.Information, "after ready");
        }

        var lines = complaints.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be($"esxi-folder-fuse: cannot log to syslog at {path} (No such file or directory (os error 2)), logging to syslog is off");
        lines.Skip(1).Should().HaveCount(2).And.OnlyContain(l => l.Contains("] one") || l.Contains("] two"));
    }
}
