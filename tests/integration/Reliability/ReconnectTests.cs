using EsxiImport.IntegrationTests.Mount;

namespace EsxiImport.IntegrationTests.Reliability;

/// <summary>The host goes away or forgets the session in the middle of a read; the tool carries on.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(ReliabilityCollection.Name)]
public sealed class ReconnectTests
{
    private const long DiskBytes = 48L << 20;

    /// <summary>The longest a read may take here; beyond it the tool counts as hung.</summary>
    private static readonly TimeSpan ReadBound = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task An_emulator_restart_in_the_middle_of_a_read_is_survived()
    {
        await using var mount = await ToolMount.StartEmulatorAsync(DiskScenario.Of([DiskBytes]));
        (await mount.StartToolAsync(["--cache-size", (4L << 20).ToString(System.Globalization.CultureInfo.InvariantCulture)])).Should().BeEmpty();
        var restarted = false;

        var outcome = await DiskReader.ReadAsync(mount.DiskPath(0), async offset =>
        {
            if (!restarted && offset >= 8L << 20)
            {
                restarted = true;
                await mount.RestartEmulatorAsync(TimeSpan.FromMilliseconds(500));
            }
        }).WaitAsync(ReadBound);

        restarted.Should().BeTrue();
        outcome.Error.Should().BeNull("the tool reconnects to the restarted host; stderr: {0}", mount.Stderr);
        outcome.Sha256.Should().Equal(mount.ExpectedSha256(0));
        mount.Host.Counters.SessionsCreated.Should().BeGreaterThan(0, "the new host knows no session, so the tool logged in again");
    }

    [Fact]
    public async Task An_expired_session_cookie_leads_to_a_new_login()
    {
        await using var mount = await ToolMount.StartEmulatorAsync(DiskScenario.Of([DiskBytes]));
        (await mount.StartToolAsync()).Should().BeEmpty();
        mount.Host.Faults.Add("folder:GET:*-flat.vmdk:skip:5:3:expire-session");
        var sessionsBefore = mount.Host.Counters.SessionsCreated;

        var outcome = await DiskReader.ReadAsync(mount.DiskPath(0)).WaitAsync(ReadBound);

        outcome.Error.Should().BeNull();
        outcome.Sha256.Should().Equal(mount.ExpectedSha256(0));
        mount.Host.Counters.AllFaultHits.Should().Be(3);
        mount.Host.Counters.SessionsCreated.Should().BeGreaterThan(sessionsBefore);
    }

    [Fact]
    public async Task A_401_in_the_middle_of_a_session_is_answered_by_logging_in_again()
    {
        await using var mount = await ToolMount.StartEmulatorAsync(DiskScenario.Of([DiskBytes]));
        (await mount.StartToolAsync()).Should().BeEmpty();
        mount.Host.Faults.Add("folder:GET:*-flat.vmdk:skip:4:2:status:401");

        var outcome = await DiskReader.ReadAsync(mount.DiskPath(0)).WaitAsync(ReadBound);

        outcome.Error.Should().BeNull();
        outcome.Sha256.Should().Equal(mount.ExpectedSha256(0));
        mount.Host.Counters.AllFaultHits.Should().Be(2);
    }
}
