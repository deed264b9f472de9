using System.Diagnostics;

using EsxiImport.TestSupport.Plugin;

namespace EsxiImport.IntegrationTests.Plugin;

/// <summary>
/// The launch protocol itself, with a shell stand-in for upstream's tool, so the failure modes
/// of the field notes show in both our launcher and our Perl harness: today's plugin takes a
/// failed upstream tool for success (FB-09), the May 2024 plugin hangs on a healthy one (FB-08)
/// and a multi-line ERROR text is ignored (FB-12).
/// </summary>
public sealed class PluginProtocolTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("esxi-protocol-").FullName;

    private string PidFile => Path.Combine(_dir, "tool.pid");

    public void Dispose()
    {
        // The stand-in may still run (the healthy case); stop it whatever the test did.
        if (File.Exists(PidFile) && int.TryParse(File.ReadAllText(PidFile).Trim(), out var pid))
        {
            try
            {
                using var p = Process.GetProcessById(pid);
                p.Kill();
            }
            catch (ArgumentException)
            {
            }
            catch (InvalidOperationException)
            {
            }
        }

        Directory.Delete(_dir, recursive: true);
    }

    private PluginLaunchRequest Request(string mode, PluginVariant variant, int timeoutSeconds = 20) => new()
    {
        ToolCommand = ["/bin/sh", Path.Combine(AppRoot(), "upstream_like_tool.sh"), mode],
        Host = "127.0.0.1",
        ManifestPath = "/dev/null",
        MountPath = _dir,
        User = "root",
        PasswordFile = "/dev/null",
        Variant = variant,
        Timeout = TimeSpan.FromSeconds(timeoutSeconds),
        Environment = new Dictionary<string, string> { ["FAKE_TOOL_PIDFILE"] = PidFile },
    };

    private static string AppRoot() => Path.GetDirectoryName(ToolUnderTest.HarnessPath)!;

    [Fact]
    public async Task Todays_plugin_reports_success_for_an_upstream_tool_that_failed_FB09()
    {
        var request = Request("fail", PluginVariant.Today);
        var result = await PluginLauncher.LaunchAsync(request);
        result.PluginText.Should().Be("ok", "the double fork hides the exit status");
        result.ObservedWaitStatus.Should().BeNull();
        result.Stderr.Should().Be("Error: failed to parse manifest\n");
        (await PerlHarness.RunAsync(request)).Should().Be("ok");
    }

    [Fact]
    public async Task The_may_2024_plugin_shows_upstreams_stderr_line_FB07()
    {
        var request = Request("fail", PluginVariant.May2024);
        (await PluginLauncher.LaunchAsync(request)).PluginText.Should().Be("failed to parse manifest");
        (await PerlHarness.RunAsync(request)).Should().Be("failed to parse manifest");
    }

    [Fact]
    public async Task The_may_2024_plugin_hangs_on_a_healthy_upstream_tool_and_the_timeout_says_so_FB08()
    {
        var request = Request("healthy", PluginVariant.May2024, timeoutSeconds: 2);
        var result = await PluginLauncher.LaunchAsync(request);
        result.TimedOut.Should().BeTrue();
        result.PluginText.Should().Be("fuse mount did not signal ready within 2 s");
        result.ReadyBytes.Should().BeEmpty();
        (await PerlHarness.RunAsync(request)).Should().Be("timeout");
    }

    [Fact]
    public async Task Todays_plugin_returns_promptly_for_a_healthy_tool()
    {
        var request = Request("healthy", PluginVariant.Today);
        var result = await PluginLauncher.LaunchAsync(request);
        result.PluginText.Should().Be("ok");
        result.TimedOut.Should().BeFalse();
        result.ToolPid.Should().Be(int.Parse(File.ReadAllText(PidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture));
        result.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
        (await PerlHarness.RunAsync(request)).Should().Be("ok");
    }

    [Fact]
    public async Task A_multi_line_error_text_does_not_match_the_plugins_rule_FB12()
    {
        var request = Request("multiline", PluginVariant.Today);
        var result = await PluginLauncher.LaunchAsync(request);
        System.Text.Encoding.UTF8.GetString(result.ReadyBytes).Should().Be("ERROR: first line\nsecond line\n");
        result.PluginText.Should().Be("ok");
        (await PerlHarness.RunAsync(request)).Should().Be("ok");
    }

    [Fact]
    public async Task The_pre_2025_plugin_sees_the_exit_status_once_the_tool_is_reapable()
    {
        // Upstream's exit(-1) is wait status 65280 where the plugin sees it; EOF can come before
        // the child is reapable (FB-11), so "ok" is the other outcome the real plugin can show.
        var request = Request("fail", PluginVariant.Pre2025);
        var result = await PluginLauncher.LaunchAsync(request);
        result.PluginText.Should().BeOneOf("failed to spawn fuse mount, process exited with status 65280", "ok");
        if (result.ObservedWaitStatus is { } status)
        {
            status.Should().Be(65280);
        }

        (await PerlHarness.RunAsync(request)).Should().BeOneOf("failed to spawn fuse mount, process exited with status 65280", "ok");
    }

    [Theory]
    [InlineData("ERROR: a: b\n", PluginVariant.Today, "a: b")]
    [InlineData("ERROR: a: b", PluginVariant.Today, "a: b")]
    [InlineData("Error: a\n", PluginVariant.Today, null)]
    [InlineData("Error: a\n", PluginVariant.May2024, "a")]
    [InlineData("ERROR: a\nb\n", PluginVariant.May2024, null)]
    [InlineData("x\nERROR: a\n", PluginVariant.Pre2025, null)]
    [InlineData("", PluginVariant.Pre2025, null)]
    public void The_rule_matches_like_perl(string text, PluginVariant variant, string? message) =>
        PluginRule.ErrorMessage(System.Text.Encoding.UTF8.GetBytes(text), variant).Should().Be(message);
}
