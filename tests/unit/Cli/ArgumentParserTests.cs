using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Cli;

using Serilog.Events;

namespace EsxiImport.UnitTests.Cli;

public sealed class ArgumentParserTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("esxi-args-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static MountArguments Mount(params string[] args) =>
        ArgumentParser.Parse(args).Should().BeOfType<CommandLine.Mount>().Subject.Arguments;

    private static string ErrorOf(params string[] args) =>
        FluentActions.Invoking(() => ArgumentParser.Parse(args)).Should().Throw<ToolError>().Which.Message;

    [Fact]
    public void The_plugins_command_line_parses()
    {
        var pw = Path.Combine(_dir, "pw");
        File.WriteAllText(pw, "s3cret\n");
        var a = Mount("--skip-cert-verification", "--change-user", "nobody", "--change-group", "nogroup", "-o", "allow_other",
            "--ready-fd", "7", "--user", "root", "--password-file", pw, "esxi.example:8443", "/run/m.json", "/run/mnt");
        a.Host.Host.Should().Be("esxi.example");
        a.Host.Port.Should().Be(8443);
        a.ManifestPath.Should().Be("/run/m.json");
        a.MountPath.Should().Be("/run/mnt");
        a.Credentials.User.Should().Be("root");
        a.Credentials.Password.Should().Be("s3cret");
        a.ChangeUser.Should().Be("nobody");
        a.ChangeGroup.Should().Be("nogroup");
        a.MountOptions.Should().Equal("allow_other");
        a.ReadyFd.Should().Be(7);
        a.SkipCertificateVerification.Should().BeTrue();
        a.LogLevel.Should().Be(LogEventLevel.Information);
    }

    [Fact]
    public void Every_other_option_is_read_in_both_spellings()
    {
        var a = Mount("--cache-page-size=4096", "--cache-page-count", "8", "--cache-size=1048576", "--max-requests", "3",
            "--strict", "--debug", "-o", "ro,default_permissions", "-oallow_other", "--password", "x", "h", "m", "p");
        a.CachePageSize.Should().Be(4096);
        a.CachePageCount.Should().Be(8);
        a.CacheSize.Should().Be(1048576);
        a.MaxRequests.Should().Be(3);
        a.Strict.Should().BeTrue();
        a.Debug.Should().BeTrue();
        a.LogLevel.Should().Be(LogEventLevel.Debug);
        a.MountOptions.Should().Equal("ro", "default_permissions", "allow_other");
        a.Credentials.Password.Should().Be("x");
        Mount("--log-level", "OFF", "h", "m", "p").LogLevel.Should().BeNull();
        Mount("--debug", "--log-level=warn", "h", "m", "p").LogLevel.Should().Be(LogEventLevel.Warning);
    }

    [Theory]
    [InlineData("[::1]:8443", "::1", 8443, "[::1]:8443")]
    [InlineData("[fe80::1]", "fe80::1", null, "[fe80::1]")]
    [InlineData("::1", "::1", null, "[::1]")]
    [InlineData("10.0.0.1", "10.0.0.1", null, "10.0.0.1")]
    [InlineData("host:443", "host", 443, "host:443")]
    public void Hosts_and_ipv6_literals_keep_their_brackets_once(string text, string host, int? port, string authority)
    {
        var a = Mount(text, "m", "p").Host;
        a.Host.Should().Be(host);
        a.Port.Should().Be(port);
        a.Authority.Should().Be(authority);
    }

    [Theory]
    [InlineData("[::1")]
    [InlineData("[::1]x")]
    [InlineData("host:")]
    [InlineData("host:70000")]
    [InlineData(":443")]
    [InlineData("")]
    public void Malformed_hosts_are_argument_errors(string text) =>
        ErrorOf(text, "m", "p").Should().StartWith($"invalid host '{text}'");

    [Theory]
    [InlineData(new string[] { }, "missing parameter")]
    [InlineData(new[] { "h" }, "missing manifest path")]
    [InlineData(new[] { "h", "m" }, "missing mount path")]
    [InlineData(new[] { "h", "m", "p", "q" }, "too many parameters")]
    [InlineData(new[] { "--ready-fd" }, "the '--ready-fd' option doesn't have an associated value")]
    [InlineData(new[] { "--ready-fd", "x", "h", "m", "p" }, "failed to parse 'x': invalid digit found in string")]
    [InlineData(new[] { "--ready-fd=", "h", "m", "p" }, "failed to parse '': cannot parse integer from empty string")]
    [InlineData(new[] { "--max-requests", "99999999999", "h", "m", "p" }, "failed to parse '99999999999': number too large to fit in target type")]
    [InlineData(new[] { "--cache-size", "0", "h", "m", "p" }, "the '--cache-size' option must be greater than zero")]
    [InlineData(new[] { "--log-level", "loud", "h", "m", "p" }, "failed to parse 'loud': attempted to convert a string that doesn't match an existing log level")]
    [InlineData(new[] { "--frobnicate", "h", "m", "p" }, "unknown option '--frobnicate'")]
    public void Argument_errors_have_upstreams_texts(string[] args, string message) =>
        ErrorOf(args).Should().Be(message);

    [Fact]
    public void Help_and_version_win_over_other_problems()
    {
        ArgumentParser.Parse(["--bogus", "-h"]).Should().BeOfType<CommandLine.Help>();
        ArgumentParser.Parse(["--help"]).Should().BeOfType<CommandLine.Help>();
        ArgumentParser.Parse(["-v"]).Should().BeOfType<CommandLine.Version>();
        ArgumentParser.Parse(["--version", "x"]).Should().BeOfType<CommandLine.Version>();
    }

    [Fact]
    public void Double_dash_ends_the_options() =>
        Mount("--", "h", "-h", "p").ManifestPath.Should().Be("-h");

    [Fact]
    public void A_missing_password_file_is_an_argument_error_naming_the_path()
    {
        var path = Path.Combine(_dir, "missing.pw");
        var e = FluentActions.Invoking(() => ArgumentParser.Parse(["--password-file", path, "h", "m", "p"]))
            .Should().Throw<ToolError>().Which;
        e.Chain().Should().Equal($"failed to read file \"{path}\"", "No such file or directory (os error 2)");
    }

    [Theory]
    [InlineData("s3cret", "s3cret")]
    [InlineData("s3cret\n", "s3cret")]
    [InlineData("s3cret\r\n", "s3cret")]
    [InlineData("s3cret\n\n", "s3cret\n")]
    [InlineData(" pa:ss ü\n", " pa:ss ü")]
    public void The_password_file_loses_exactly_one_line_ending(string content, string password)
    {
        var path = Path.Combine(_dir, "pw");
        File.WriteAllText(path, content);
        Mount("--password-file", path, "h", "m", "p").Credentials.Password.Should().Be(password);
        PasswordText.Normalize(content).Should().Be(password);
    }

    [Fact]
    public void The_user_file_holds_user_and_password_and_the_password_fd_overrides()
    {
        var path = Path.Combine(_dir, "user");
        File.WriteAllText(path, "admin\r\ntop secret\n");
        var a = Mount("--user-file", path, "h", "m", "p");
        a.Credentials.User.Should().Be("admin");
        a.Credentials.Password.Should().Be("top secret");
        a.Credentials.ToString().Should().NotContain("top secret");
        a.ToString().Should().NotContain("top secret", "a dump of the arguments must not show the password");

        File.WriteAllText(path, "only-one-line");
        ErrorOf("--user-file", path, "h", "m", "p").Should().Contain("must hold the user name");

        using var pipe = new System.IO.Pipes.AnonymousPipeServerStream(System.IO.Pipes.PipeDirection.Out);
        using var client = new System.IO.Pipes.AnonymousPipeClientStream(System.IO.Pipes.PipeDirection.In, pipe.ClientSafePipeHandle);
        pipe.Write("from-fd\n"u8);
        pipe.Close();
        var fd = (int)client.SafePipeHandle.DangerousGetHandle();
        Mount("--password", "x", "--password-fd", fd.ToString(System.Globalization.CultureInfo.InvariantCulture), "h", "m", "p")
            .Credentials.Password.Should().Be("from-fd");
    }

    [Fact]
    public void The_ready_fd_is_found_even_in_arguments_that_fail()
    {
        ArgumentParser.FindReadyFd(["--bogus", "--ready-fd", "9"]).Should().Be(9);
        ArgumentParser.FindReadyFd(["--ready-fd=12", "x"]).Should().Be(12);
        ArgumentParser.FindReadyFd(["--ready-fd", "x"]).Should().BeNull();
        ArgumentParser.FindReadyFd(["h", "m", "p"]).Should().BeNull();
    }

    [Fact]
    public void The_usage_text_follows_upstreams_layout()
    {
        var lines = UsageText.For("/usr/libexec/esxi-folder-fuse").Split('\n');
        lines[0].Should().Be("usage: /usr/libexec/esxi-folder-fuse [options] <host>[:<port>] <manifest-file> <mount-path>");
        lines[1].Should().Be("options:");
        lines.Should().Contain("  --ready-fd=FDNUM            close file descriptor FDNUM when ready");
        lines[^1].Should().BeEmpty("the text ends with a newline");
    }
}
