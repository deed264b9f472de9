using EsxiImport.EsxiFuse.Cli;
using EsxiImport.EsxiFuse.Os;
using EsxiImport.EsxiFuse.Startup;

using Serilog.Events;

namespace EsxiImport.UnitTests.Cli;

public sealed class StartupPiecesTests
{
    [Theory]
    [InlineData("/run/mnt", "\"/run/mnt\"")]
    [InlineData("a\"b\\c", "\"a\\\"b\\\\c\"")]
    [InlineData("x\ny\rz\t\0", "\"x\\ny\\rz\\t\\0\"")]
    [InlineData("bell\u0007", "\"bell\\u{7}\"")]
    [InlineData("ümlaut #1", "\"ümlaut #1\"")]
    public void Paths_are_quoted_like_upstreams_debug_format(string path, string quoted) =>
        DebugQuote.Of(path).Should().Be(quoted);

    [Theory]
    [InlineData("off", null)]
    [InlineData("Error", LogEventLevel.Error)]
    [InlineData("WARN", LogEventLevel.Warning)]
    [InlineData("info", LogEventLevel.Information)]
    [InlineData("debug", LogEventLevel.Debug)]
    [InlineData("trace", LogEventLevel.Verbose)]
    public void Log_levels_have_the_rust_log_crates_names(string name, LogEventLevel? level)
    {
        LogLevelName.TryParse(name, out var parsed).Should().BeTrue();
        parsed.Should().Be(level);
        LogLevelName.TryParse("verbose", out _).Should().BeFalse();
    }

    [Fact]
    public void Valued_mount_options_are_read_back()
    {
        var o = MountOptionList.Parse(["allow_root", "default_permissions", "auto_unmount", "fsname=esxi", "subtype=folder", "max_read=131072"]);
        o.AllowRoot.Should().BeTrue();
        o.AllowOther.Should().BeFalse();
        o.DefaultPermissions.Should().BeTrue();
        o.AutoUnmount.Should().BeTrue();
        o.FsName.Should().Be("esxi");
        o.Subtype.Should().Be("folder");
        o.MaxRead.Should().Be(131072);
        MountOptionList.Parse([]).MaxRead.Should().BeNull();
        FluentActions.Invoking(() => MountOptionList.Parse(["max_read=0"])).Should().Throw<EsxiImport.Diagnostics.ToolError>()
            .Which.Chain().Should().Equal("mount option 'max_read' needs a value");
    }

    [Fact]
    public void Errno_texts_read_like_rusts_io_errors()
    {
        OsError.Of(13).Message.Should().Be("Permission denied (os error 13)");
        OsError.Of(13).Errno.Should().Be(13);
        OsError.ErrnoOf(new FileNotFoundException(), "/x").Should().Be(2);
        OsError.ErrnoOf(new UnauthorizedAccessException(), "/").Should().Be(21);
        OsError.ErrnoOf(new UnauthorizedAccessException(), "/nonexistent/x").Should().Be(13);
        OsError.ErrnoOf(new PathTooLongException(), "/x").Should().Be(36);
        OsError.ErrnoOf(new IOException("odd"), "/x").Should().Be(5);
    }

    [Fact]
    public void The_process_environment_uses_the_standard_fds_and_the_syslog_override()
    {
        var env = ToolEnvironment.FromProcess();
        env.StdFds.Should().Equal(1, 2);
        env.HandleSignals.Should().BeTrue();
        env.SyslogSocketPath.Should().Be(Environment.GetEnvironmentVariable("ESXI_FUSE_SYSLOG_SOCKET") is { Length: > 0 } p ? p : "/dev/log");
        ProgramName.FromProcess().Should().NotBeNullOrEmpty();
    }

    [Fact]
    public void Reading_the_manifest_reports_a_directory_as_such()
    {
        var e = FluentActions.Invoking(() => ManifestLoader.Load("/")).Should().Throw<EsxiImport.Diagnostics.ToolError>().Which;
        e.Chain().Should().Equal("failed to read manifest \"/\"", "Is a directory (os error 21)");
    }

    [Fact]
    public void Dropping_to_the_current_ids_succeeds()
    {
        // The tests run as root; dropping to root itself exercises the calls without losing anything.
        if (Environment.UserName != "root")
        {
            return;
        }

        Privileges.Drop(0, 0);
        Privileges.Drop(null, null);
    }
}
