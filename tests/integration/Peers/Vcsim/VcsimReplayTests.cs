using EsxiImport.FieldReport.Har;
using EsxiImport.IntegrationTests.Fuse;
using EsxiImport.IntegrationTests.Replay;

namespace EsxiImport.IntegrationTests.Peers.Vcsim;

/// <summary>
/// A recording of a host this project did not write replays like one of our emulator: the listing
/// of vcsim recorded by <c>esxi-listvms --record</c>, replayed by <c>esxi-emulator --replay</c>,
/// lists the same bytes (vcsim's own fault texts, XML style and property values included).
/// </summary>
[Collection(VcsimCollection.Name)]
public sealed class VcsimReplayTests(PopulatedVcsim vcsim)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_recording_of_vcsim_replays_to_the_same_listing(bool wrongPassword)
    {
        var ready = vcsim.Peer.Ready;
        using var dir = new TempDir("replay-vcsim-");
        using var runner = new ProcessRunner();
        var har = Path.Combine(dir.Path, "vcsim.har");
        var peer = new EmulatorProcess(null!, new Uri("https://127.0.0.1:" + ready.Port + "/"), ready.User, wrongPassword ? "not-" + ready.Password : ready.Password);

        var recorded = await ReplayListingTests.ListAsync(runner, dir, peer, "--record", har);
        recorded.ExitCode.Should().Be(wrongPassword ? 1 : 0, recorded.Stderr);
        HarDocument.Load(har).Log.Entries.Should().Contain(e => e.Request.Url.EndsWith("/sdk", StringComparison.Ordinal));

        var replay = await EmulatorProcess.StartAsync(runner, "--replay", har);
        replay.User.Should().Be(ready.User);
        var replayed = await ReplayListingTests.ListAsync(runner, dir, replay);
        (await replay.StopAsync()).Should().Be(0);

        replayed.ExitCode.Should().Be(recorded.ExitCode, replayed.Stderr);
        replayed.Stdout.Should().Equal(recorded.Stdout);
        replayed.Stderr.Should().Be(recorded.Stderr);
        if (!wrongPassword)
        {
            recorded.StdoutText.Should().Contain("LocalDS_1", "the populated host was listed");
        }
    }
}
