using System.IO.Pipes;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Logging;
using EsxiImport.EsxiFuse.Startup;

using Serilog.Events;

namespace EsxiImport.UnitTests.Cli;

/// <summary>The one report of a failed run, and the signal bookkeeping that leads to one.</summary>
public sealed class FatalReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("esxi-report-").FullName;
    private readonly Socket _syslog = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly StringWriter _stderr = new();

    public FatalReportTests()
    {
        _syslog.Bind(new UnixDomainSocketEndPoint(SyslogPath));
        _syslog.ReceiveTimeout = 5000;
    }

    private string SyslogPath => Path.Combine(_dir, "log");

    public void Dispose()
    {
        _syslog.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private FatalReport NewReport() => new(new ToolEnvironment(TextWriter.Null, _stderr, SyslogPath, [], OwnsProcess: false));

    private string NextSyslogMessage()
    {
        var buffer = new byte[8192];
        var text = Encoding.UTF8.GetString(buffer, 0, _syslog.Receive(buffer));
        return text[(text.IndexOf("]: ", StringComparison.Ordinal) + 3)..];
    }

    private static (AnonymousPipeServerStream Reader, int WriteFd) NewPipe()
    {
        var reader = new AnonymousPipeServerStream(PipeDirection.In);
        var writeFd = FreeDescriptor.Dup((int)reader.ClientSafePipeHandle.DangerousGetHandle());
        reader.DisposeLocalCopyOfClientHandle();
        return (reader, writeFd);
    }

    [Fact]
    public void An_unexpected_exception_is_reported_like_an_early_error_after_the_unmount()
    {
        var report = NewReport();
        var (reader, fd) = NewPipe();
        var mount = new StepDoubles.MountedDouble(Path.Combine(_dir, "mnt"), null);
        using (reader)
        using (var log = new ToolLog(LogEventLevel.Information, false, SyslogPath, _stderr))
        {
            report.Attach(new ReadySignal(fd, []));
            report.Attach(log);
            report.Mounted(mount);
            report.MountPath.Should().Be(mount.MountPath);
            report.Report(new InvalidOperationException("the list changed"));
            report.Report(new InvalidOperationException("a second one is not reported"));
            new StreamReader(reader).ReadToEnd().Should().Be("ERROR: unexpected error (System.InvalidOperationException): the list changed\n");
        }

        mount.Unmounted.Should().BeTrue();
        report.MountPath.Should().BeNull();
        _stderr.ToString().Should().Be("Error: unexpected error (System.InvalidOperationException)\n");
        NextSyslogMessage().Should().Be("Error: unexpected error (System.InvalidOperationException)\n the list changed");
        _syslog.Available.Should().Be(0);
    }

    [Fact]
    public void Without_a_log_yet_the_report_opens_syslog_itself_and_a_tool_error_keeps_its_own_words()
    {
        var report = NewReport();
        report.Report(ToolError.Of("esxi-folder-fuse.interrupted.before-mount", ErrorKind.General));
        _stderr.ToString().Should().Be("Error: nothing was mounted yet\n");
        NextSyslogMessage().Should().Be("Error: nothing was mounted yet");
    }

    [Fact]
    public void After_ready_there_is_no_ready_fd_line_and_stderr_still_gets_the_error()
    {
        var report = NewReport();
        var (reader, fd) = NewPipe();
        using (reader)
        {
            var ready = new ReadySignal(fd, []);
            report.Attach(ready);
            ready.Succeed();
            report.Ready();
            report.IsReady.Should().BeTrue();
            report.Report(new IOException("gone"));
            new StreamReader(reader).ReadToEnd().Should().BeEmpty();
        }

        _stderr.ToString().Should().Be("Error: unexpected error (System.IO.IOException)\n");
    }

    [Fact]
    public void A_failing_unmount_is_a_warning_and_the_report_goes_on()
    {
        var report = NewReport();
        using var log = new ToolLog(LogEventLevel.Information, false, SyslogPath, _stderr);
        report.Attach(log);
        report.Mounted(new StepDoubles.MountedDouble("/nowhere", new IOException("device busy")));
        report.Report(new IOException("x"));
        NextSyslogMessage().Should().Be("failed to unmount \"/nowhere\": device busy");
        NextSyslogMessage().Should().StartWith("Error: unexpected error");
    }

    [Fact]
    public void A_signal_before_ready_cancels_and_becomes_the_early_error()
    {
        using var interruption = new Interruption(register: false);
        interruption.Raise(PosixSignal.SIGINT);
        interruption.Raise(PosixSignal.SIGTERM);
        interruption.Token.IsCancellationRequested.Should().BeTrue();
        interruption.SignalName.Should().Be("SIGINT", "the first signal counts");
        interruption.MarkReady(_ => { }).Should().BeFalse("a signal came first");
        interruption.Error(null, null).Chain().Should().Equal("interrupted by SIGINT before the mount was ready", "nothing was mounted yet");
        interruption.Error("/m", "h:443").Chain().Should().Equal(
            "interrupted by SIGINT before the mount was ready", "the mount at \"/m\" is undone; ESXi host h:443 was not ready yet");
    }

    [Fact]
    public void A_signal_after_ready_says_so_once_and_stops_serving()
    {
        using var interruption = new Interruption(register: false);
        var seen = new List<string>();
        interruption.MarkReady(seen.Add).Should().BeTrue();
        interruption.Token.IsCancellationRequested.Should().BeFalse();
        interruption.Raise(PosixSignal.SIGHUP);
        interruption.Raise(PosixSignal.SIGTERM);
        seen.Should().Equal("SIGHUP");
        interruption.Token.IsCancellationRequested.Should().BeTrue();
    }
}
