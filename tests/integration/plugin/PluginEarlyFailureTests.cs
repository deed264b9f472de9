using EsxiImport.EsxiFuse.Plugin;

namespace EsxiImport.IntegrationTests.Plugin;

/// <summary>
/// The built esxi-folder-fuse, failing before MOUNT, seen through the plugin: our C# launcher
/// and our Perl harness, each in the three plugin variants, must show the same, exact message
/// (the tool's whole chain from the ready fd); run directly, the tool must print exactly one
/// <c>Error:</c> line (or <c>error:</c> + usage), log one syslog record, and exit 255 (or 1).
/// </summary>
public sealed class PluginEarlyFailureTests : IClassFixture<PluginEarlyFailureTests.Files>
{
    private readonly ToolUnderTest _tool;

    public PluginEarlyFailureTests(Files files) => _tool = files.Tool;

    public static TheoryData<string> Cases => new()
    {
        "missing-manifest", "invalid-json-manifest", "unknown-user", "unknown-group", "bad-mount-option",
        "mount-path-missing", "mount-path-is-a-file", "password-file-missing",
    };

    public static TheoryData<string, PluginVariant, bool> CasesThroughPlugins()
    {
        var data = new TheoryData<string, PluginVariant, bool>();
        foreach (var name in Cases)
        {
            foreach (var variant in Enum.GetValues<PluginVariant>())
            {
                data.Add(name, variant, false);
                data.Add(name, variant, true);
            }
        }

        return data;
    }

    private (PluginLaunchRequest Request, Expected Expected) Case(string name)
    {
        var t = _tool;
        var request = new PluginLaunchRequest
        {
            ToolCommand = [ToolUnderTest.ToolPath],
            Host = "127.0.0.1:1",
            ManifestPath = t.Manifest,
            MountPath = t.MountDir,
            User = "root",
            PasswordFile = t.PasswordFile,
            Timeout = TimeSpan.FromSeconds(60),
            Environment = t.Environment,
        };
        var missing = Path.Combine(t.Dir, "missing.json");
        var absent = Path.Combine(t.Dir, "absent");
        var noPw = Path.Combine(t.Dir, "missing.pw");
        return name switch
        {
            "missing-manifest" => (request with { ManifestPath = missing },
                Expected.Fatal("failed to read manifest", "No such file or directory (os error 2)")),
            "invalid-json-manifest" => (request with { ManifestPath = t.BadManifest },
                Expected.Fatal("failed to parse manifest", "bad.json: line 1, column 1: malformed JSON at $")),
            "unknown-user" => (request with { ChangeUser = "no-such-user-esxi" },
                Expected.Fatal("failed to get uid", "no such user 'no-such-user-esxi'")),
            "unknown-group" => (request with { ChangeGroup = "no-such-group-esxi" },
                Expected.Fatal("failed to get gid", "no such group 'no-such-group-esxi'")),
            "bad-mount-option" => (request with { MountOptions = "allow_other,bogus" },
                Expected.Fatal("failed to get fuse options", "unknown mount option 'bogus'")),
            "mount-path-missing" => (request with { MountPath = absent },
                Expected.Fatal($"failed to mount fuse file system at \"{absent}\"", "the mount path does not exist")),
            "mount-path-is-a-file" => (request with { MountPath = t.AFile },
                Expected.Fatal($"failed to mount fuse file system at \"{t.AFile}\"", "the mount path is not a directory")),
            "password-file-missing" => (request with { PasswordFile = noPw },
                Expected.Usage($"failed to read file \"{noPw}\"", "No such file or directory (os error 2)")),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    [Theory]
    [MemberData(nameof(CasesThroughPlugins))]
    public async Task The_plugin_shows_the_whole_chain(string name, PluginVariant variant, bool perl)
    {
        var (request, expected) = Case(name);
        request = request with { Variant = variant };
        _tool.DrainSyslog();
        if (perl)
        {
            var stderrFile = Path.Combine(_tool.Dir, $"stderr-{Guid.NewGuid():N}");
            (await PerlHarness.RunAsync(request, stderrFile)).Should().Be(expected.PluginText);
            File.ReadAllText(stderrFile).Should().Be(variant == PluginVariant.May2024 ? string.Empty : expected.Stderr);
        }
        else
        {
            var result = await PluginLauncher.LaunchAsync(request);
            result.TimedOut.Should().BeFalse();
            result.PluginText.Should().Be(expected.PluginText);
            System.Text.Encoding.UTF8.GetString(result.ReadyBytes).Should().Be("ERROR: " + expected.PluginText + "\n");
            result.Stderr.Should().Be(variant == PluginVariant.May2024 ? string.Empty : expected.Stderr);
        }

        _tool.DrainSyslog().Should().Equal(expected.Syslog);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Run_directly_the_tool_prints_one_error_line_and_exits_with_upstreams_code(string name)
    {
        var (request, expected) = Case(name);
        _tool.DrainSyslog();
        var (exit, stdout, stderr) = await _tool.RunDirectAsync(request.ToolArguments(PluginLauncher.ReadyFd).Where((a, i) =>
            a != "--ready-fd" && (i == 0 || request.ToolArguments(PluginLauncher.ReadyFd)[i - 1] != "--ready-fd")));
        exit.Should().Be(expected.Exit);
        stdout.Should().BeEmpty();
        stderr.Should().Be(expected.Stderr);
        _tool.DrainSyslog().Should().Equal(expected.Syslog);
    }

    [Fact]
    public async Task A_password_file_with_a_trailing_newline_gets_past_the_arguments()
    {
        var (request, _) = Case("missing-manifest");
        request = request with { PasswordFile = _tool.PasswordFileWithNewline };
        _tool.DrainSyslog();
        var result = await PluginLauncher.LaunchAsync(request);
        result.PluginText.Should().Be("failed to read manifest: No such file or directory (os error 2)");
        (await PerlHarness.RunAsync(request)).Should().Be(result.PluginText);
    }

    /// <summary>The exact texts of one case on every channel.</summary>
    public sealed record Expected(string PluginText, string Stderr, IReadOnlyList<string> Syslog, int Exit)
    {
        public static Expected Fatal(string top, string cause) =>
            new($"{top}: {cause}", $"Error: {top}\n", [$"Error: {top}\n {cause}"], 255);

        public static Expected Usage(string top, string cause) =>
            new($"{top}: {cause}", $"error: {top}\n{EsxiFuse.Cli.UsageText.For(ToolUnderTest.ToolPath)}", [], 1);
    }

    public sealed class Files : IDisposable
    {
        public ToolUnderTest Tool { get; } = new();

        public void Dispose() => Tool.Dispose();
    }
}