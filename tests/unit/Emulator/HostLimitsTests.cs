using EsxiImport.Diagnostics;
using EsxiImport.Emulator.Cli;
using EsxiImport.Emulator.Scenarios;

namespace EsxiImport.UnitTests.Emulator;

/// <summary>The host model's settings: named profiles, scenario fields and the command line, one table for both.</summary>
public sealed class HostLimitsTests
{
    private const string Datacenters = "datacenters:\n  - datastores:\n      - name: ds\n";

    [Fact]
    public void A_profile_fills_the_limits_and_the_fields_beside_it_override_them()
    {
        var s = ScenarioLoader.Parse("limits:\n  profile: iscsi\n  maxFolderRequestsInFlight: 6\n  totalBytesPerSecond: 64MiB\n" + Datacenters, "s.yaml", ".");
        s.Limits.Should().Be(new HostLimits
        {
            Profile = "iscsi",
            StreamBytesPerSecond = 19L << 19,
            MaxFolderRequestsInFlight = 6,
            TotalBytesPerSecond = 64L << 20,
            FirstByteDelay = TimeSpan.FromMilliseconds(5),
        });
        s.Limits.PacesBodies.Should().BeTrue();
    }

    [Fact]
    public void Every_field_reads_from_a_scenario_and_no_limits_pace_nothing()
    {
        var s = ScenarioLoader.Parse(
            "limits:\n  maxConnections: 2\n  firstByteMilliseconds: 7\n  streamBytesPerSecond: 512KiB\n  connectionBytesPerSecond: 1MiB\n  sessionIdleTimeoutSeconds: 60\n" + Datacenters,
            "s.yaml",
            ".");
        s.Limits.Should().Be(new HostLimits
        {
            MaxConnections = 2,
            FirstByteDelay = TimeSpan.FromMilliseconds(7),
            StreamBytesPerSecond = 512 << 10,
            ConnectionBytesPerSecond = 1 << 20,
            SessionIdleTimeout = TimeSpan.FromSeconds(60),
        });
        new HostLimits().PacesBodies.Should().BeFalse();
        ScenarioLoader.Parse(Datacenters, "s.yaml", ".").Limits.Should().Be(new HostLimits());
    }

    [Theory]
    [InlineData("limits:\n  profile: dial-up\n", "scenario s.yaml line 2, field limits.profile: 'dial-up' is not one of: unlimited, nvme-25gbe, iscsi, throttling, esxi8-connections")]
    [InlineData("limits:\n  streamBytesPerSecond: 0\n", "scenario s.yaml line 2, field limits.streamBytesPerSecond: '0' is not a valid size (a positive number of bytes, a multiple of 512 for disks, or with KiB/MiB/GiB/TiB)")]
    [InlineData("limits:\n  maxConnections: 0\n", "scenario s.yaml line 2, field limits.maxConnections: '0' is not a valid non-negative number")]
    [InlineData("limits:\n  firstByteMilliseconds: 5ms\n", "scenario s.yaml line 2, field limits.firstByteMilliseconds: '5ms' is not a valid non-negative number")]
    [InlineData("limits:\n  bandwidth: 1\n", "scenario s.yaml line 2, field limits.bandwidth: unknown field")]
    public void Bad_limits_are_one_line_naming_the_field(string limits, string expected)
    {
        var act = () => ScenarioLoader.Parse(limits + Datacenters, "s.yaml", ".");
        var error = act.Should().Throw<ToolError>().Which;
        string.Join(": ", error.Chain()).Should().Be(expected);
    }

    [Fact]
    public void Every_profile_names_its_figure_and_finds_itself_by_name()
    {
        HostProfiles.All.Select(p => p.Name).Should().OnlyHaveUniqueItems();
        foreach (var p in HostProfiles.All)
        {
            p.StandsFor.Should().NotBeNullOrWhiteSpace();
            HostProfiles.Find(p.Name).Should().Be(p.Limits with { Profile = p.Name });
        }

        HostProfiles.Find("nope").Should().BeNull();
        HostProfiles.Find("throttling")!.MaxFolderRequestsInFlight.Should().Be(4);
    }

    [Fact]
    public void The_command_line_profile_replaces_the_scenario_limits_but_keeps_the_session_timeout_and_overrides_apply_in_order()
    {
        var line = EmulatorCommandLine.Parse(["--scenario", "default", "--host-profile", "throttling", "--host-limit", "maxFolderRequestsInFlight=6", "--host-limit=streamBytesPerSecond=2MiB", "--host-limit", "maxFolderRequestsInFlight=5"]);
        var scenario = new HostLimits { MaxConnections = 3, SessionIdleTimeout = TimeSpan.FromSeconds(9) };
        line.Limits(scenario).Should().Be(HostProfiles.Find("throttling")! with
        {
            MaxFolderRequestsInFlight = 5,
            StreamBytesPerSecond = 2 << 20,
            SessionIdleTimeout = TimeSpan.FromSeconds(9),
        });
        EmulatorCommandLine.Parse(["--scenario", "default"]).Limits(scenario).Should().BeSameAs(scenario);
        EmulatorCommandLine.Parse(["--scenario", "default", "--host-limit", "maxConnections=1"]).Limits(scenario).Should().Be(scenario with { MaxConnections = 1 });
    }

    [Theory]
    [InlineData("--host-limit", "streamBytesPerSecond")]
    [InlineData("--host-limit", "=5")]
    [InlineData("--host-limit", "speed=5")]
    [InlineData("--host-limit", "totalBytesPerSecond=0")]
    [InlineData("--host-limit", "maxFolderRequestsInFlight=3000000000")]
    [InlineData("--host-profile", "dial-up")]
    public void Bad_host_options_are_invalid_input(string option, string value)
    {
        var act = () => EmulatorCommandLine.Parse(["--scenario", "default", option, value]);
        var error = act.Should().Throw<ToolError>().Which;
        error.Kind.Should().Be(ErrorKind.InvalidInput);
        error.Message.Should().Contain(value);
    }
}
