using System.Security.Cryptography;

using EsxiImport.FieldReport.Har;
using EsxiImport.FieldReport.Recording;
using EsxiImport.IntegrationTests.Fuse;
using EsxiImport.IntegrationTests.Replay;

namespace EsxiImport.IntegrationTests.Peers.Vcsim;

/// <summary>
/// A recording of a host this project did not write replays like one of our emulator: the listing
/// of vcsim recorded by <c>esxi-listvms --record</c>, replayed by <c>esxi-emulator --replay</c>,
/// lists the same bytes (vcsim's own fault texts, XML style and property values included); and a
/// mount of vcsim recorded through a <see cref="RecordingProxy"/> replays to the same tree, the same
/// text files and the same outcome of the VM checks.
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

    [Fact]
    public async Task A_recording_of_a_mount_of_vcsim_replays_to_the_same_tree()
    {
        var ready = vcsim.Peer.Ready;
        using var dir = new TempDir("replay-vcsim-mount-");
        using var runner = new ProcessRunner();
        var listingHar = Path.Combine(dir.Path, "listing.har");
        var mountHar = Path.Combine(dir.Path, "mount.har");
        var peer = new EmulatorProcess(null!, new Uri("https://127.0.0.1:" + ready.Port + "/"), ready.User, ready.Password);

        var recorded = await ReplayListingTests.ListAsync(runner, dir, peer, "--record", listingHar);
        recorded.ExitCode.Should().Be(0, recorded.Stderr);
        Seen original;
        await using (var proxy = await RecordingProxy.StartAsync(peer.Url, new FieldRecording("esxi-folder-fuse", redact: false)))
        {
            original = await MountAndLookAsync(recorded.StdoutText, proxy.Authority, ready.User, ready.Password);
            proxy.Recording.Save(mountHar);
        }

        original.Tree.Should().Contain(e => e.Contains("-flat.vmdk ", StringComparison.Ordinal), "vcsim's disks were listed with their sizes");
        original.Texts.Should().Contain(t => t.Contains(".vmx: ", StringComparison.Ordinal));

        var replay = await EmulatorProcess.StartAsync(runner, "--replay", listingHar, "--replay", mountHar);
        var relisted = await ReplayListingTests.ListAsync(runner, dir, replay);
        relisted.ExitCode.Should().Be(0, relisted.Stderr);
        relisted.Stdout.Should().Equal(recorded.Stdout);
        var again = await MountAndLookAsync(relisted.StdoutText, replay.Url.Authority, replay.User, replay.Password);
        (await replay.StopAsync()).Should().Be(0);

        again.Verdict.Should().Be(original.Verdict);
        again.Checks.Should().Be(original.Checks);
        again.Tree.Should().Equal(original.Tree);
        again.Texts.Should().Equal(original.Texts);
    }

    /// <summary>Mounts as the plugin does and looks: the verdict, the VM checks' summary, every entry with its size, text files' hashes.</summary>
    private static async Task<Seen> MountAndLookAsync(string manifest, string authority, string user, string password)
    {
        await using var mount = PeerMount.Create(manifest, password + "\n");
        var verdict = await mount.MountAsync(authority, user);
        verdict.Should().Be("ok", string.Join("\n", mount.Syslog()));
        var checks = await mount.WaitForVmChecksAsync(TimeSpan.FromSeconds(60));
        var root = Path.Combine(mount.MountPath, "ha-datacenter");
        var tree = new List<string>();
        var texts = new List<string>();
        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories).OrderBy(e => e.FullName, StringComparer.Ordinal))
        {
            var name = Path.GetRelativePath(root, entry.FullName);
            if (entry is DirectoryInfo)
            {
                tree.Add(name + "/");
                continue;
            }

            tree.Add(name + " " + ((FileInfo)entry).Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (!name.EndsWith("-flat.vmdk", StringComparison.Ordinal) && !name.EndsWith(".nvram", StringComparison.Ordinal))
            {
                texts.Add(name + ": " + Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(entry.FullName))));
            }
        }

        (await mount.StopToolAsync(TimeSpan.FromSeconds(15))).Should().BeTrue();
        return new Seen(verdict, checks, tree, texts);
    }

    private sealed record Seen(string Verdict, string? Checks, List<string> Tree, List<string> Texts);
}
