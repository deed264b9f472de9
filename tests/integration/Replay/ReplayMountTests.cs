using System.Security.Cryptography;
using System.Text.Json.Nodes;

using EsxiImport.Emulator.Http;
using EsxiImport.Emulator.Replay;
using EsxiImport.Emulator.Scenarios;
using EsxiImport.FieldReport.Har;
using EsxiImport.FieldReport.Recording;
using EsxiImport.IntegrationTests.Fuse;
using EsxiImport.IntegrationTests.Mount;

namespace EsxiImport.IntegrationTests.Replay;

/// <summary>
/// Record → replay of a whole import: the listing recorded by <c>esxi-listvms --record</c>, the
/// mount's <c>/folder</c> traffic by a <see cref="RecordingProxy"/> with the tools' recorder;
/// then both replayed as one host. The mount sees the same tree and sizes, the same early texts
/// (ready fd, stderr, syslog: the missing .vmx, the VM on a datastore the host lacks, retries of
/// the 503 burst) and the same outcome of every read; text files hold the recorded bytes.
/// </summary>
[Collection("fuse mounts")]
public sealed class ReplayMountTests
{
    [Fact]
    public async Task A_replayed_mount_shows_the_tree_texts_and_read_outcomes_of_the_recorded_one()
    {
        using var dir = new TempDir("replay-mount-");
        using var runner = new ProcessRunner();
        var scenario = ScenarioLoader.Load(ReplayListingTests.WriteScenario(dir));
        var listingHar = Path.Combine(dir.Path, "listing.har");
        var mountHar = Path.Combine(dir.Path, "mount.har");

        Observed original;
        string listing;
        await using (var host = await ToolMount.StartEmulatorAsync(scenario))
        {
            var recorded = await ListAsync(runner, dir, host.Host, "--record", listingHar);
            recorded.ExitCode.Should().Be(0, recorded.Stderr);
            listing = recorded.StdoutText;
            await using var proxy = await RecordingProxy.StartAsync(host.Host.BaseUri, new FieldRecording("esxi-folder-fuse", redact: false));
            original = await MountAsync(host, proxy.Authority, listing);
            proxy.Recording.Save(mountHar);
        }

        original.Syslog.Should().Contain(r => r.Contains("nö vmx", StringComparison.Ordinal), "the VM without its .vmx is reported");
        original.Syslog.Should().Contain(r => r.Contains("datastore9", StringComparison.Ordinal), "the VM on a datastore the host lacks is reported");
        original.Reads.Should().Contain(r => r.EndsWith(": ok", StringComparison.Ordinal));
        var exchanges = HarDocument.Load(mountHar).Log.Entries;
        exchanges.Should().Contain(e => e.Response.Status == 503, "the burst hit the mount's reads");

        // The host a field report would bring: both recordings, replayed as one.
        var replayed = Recorded.Load([listingHar, mountHar]);
        await using var replayHost = await ToolMount.StartEmulatorAsync(ReplayScenario.From(replayed, "replay"), new EmulatorOptions
        {
            SdkHandlerFactory = (s, sessions) => new ReplaySdk(replayed, s, sessions),
        });
        var relisted = await ListAsync(runner, dir, replayHost.Host);
        relisted.ExitCode.Should().Be(0, relisted.Stderr);
        relisted.StdoutText.Should().Be(listing);

        var replay = await MountAsync(replayHost, replayHost.Host.BaseUri.Authority, relisted.StdoutText);
        replay.Ready.Should().Be(original.Ready);
        replay.Stderr.Should().Be(original.Stderr);
        // The VM checks run in parallel, so their warnings come in either order, in any run.
        replay.Syslog.Order(StringComparer.Ordinal).Should().Equal(original.Syslog.Order(StringComparer.Ordinal));
        replay.Syslog[0].Should().Be(original.Syslog[0]);
        replay.Tree.Should().Equal(original.Tree);
        replay.Reads.Should().Equal(original.Reads);
        replay.Texts.Should().Equal(original.Texts);
        replay.Texts.Should().Contain(t => t.Contains(".vmx: ", StringComparison.Ordinal), "the .vmx is served from the recorded body");
        replayHost.Host.Counters.WithStatus(503).Should().Be(exchanges.Count(e => e.Response.Status == 503), "the burst comes back on the recorded requests");
    }

    private static Task<ProcessResult> ListAsync(ProcessRunner runner, TempDir dir, EmulatorHost host, params string[] extra) =>
        ReplayListingTests.ListAsync(runner, dir, new EmulatorProcess(null!, host.BaseUri, host.User.Name, host.User.Password), extra);

    /// <summary>The size of a file under the mount, or the error its lookup gives (a listed file the host does not have).</summary>
    private static string SizeOf(string path)
    {
        try
        {
            return new FileInfo(path).Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException e)
        {
            return e.GetType().Name;
        }
    }

    /// <summary>What a user of the mount sees: early texts, the tree with sizes, the outcome of reading each file, text files' bytes.</summary>
    private sealed record Observed(string Ready, string Stderr, List<string> Syslog, List<string> Tree, List<string> Reads, List<string> Texts);

    /// <summary>Mounts through <paramref name="authority"/> (the host, or a proxy in front of it) and looks at everything, then unmounts.</summary>
    private static async Task<Observed> MountAsync(ToolMount mount, string authority, string listing)
    {
        // A second VM on a datastore the host does not have, as a stale listing would name it.
        var manifest = JsonNode.Parse(listing)!;
        var dc = manifest["ha-datacenter"]!;
        dc["vms"]!["ghost"] = JsonNode.Parse("""{"config":{"datastore":"datastore9","path":"ghost/ghost.vmx","checksum":"N/A"},"disks":[],"power":"poweredOff"}""");
        dc["datastores"]!["datastore9"] = "/vmfs/volumes/99999999-99999999-9999-000c29999999/";

        var ready = await mount.LaunchAsync(new ToolMountOptions
        {
            HostAuthority = authority,
            ManifestText = manifest.ToJsonString(),
            Environment = ToolMount.FastHttp,
        });
        await mount.WaitForSyslogAsync(r => r.StartsWith("VM checks finished: ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));

        var root = Path.Combine(mount.MountPoint, "ha-datacenter");
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var tree = files.Select(f => Path.GetRelativePath(root, f) + " " + SizeOf(f)).ToList();
        var reads = new List<string>();
        var texts = new List<string>();
        foreach (var file in files)
        {
            var name = Path.GetRelativePath(root, file);
            try
            {
                var bytes = await File.ReadAllBytesAsync(file);
                reads.Add(name + ": ok");
                if (!name.EndsWith("-flat.vmdk", StringComparison.Ordinal) && !name.EndsWith(".nvram", StringComparison.Ordinal))
                {
                    texts.Add(name + ": " + Convert.ToHexString(SHA256.HashData(bytes)));
                }
            }
            catch (IOException e)
            {
                reads.Add(name + ": " + e.GetType().Name + " " + e.HResult);
            }
        }

        var syslog = mount.DrainSyslog().Select(r => r.Replace(authority, "{host}", StringComparison.Ordinal)).ToList();
        return new Observed(ready, mount.Stderr.Replace(authority, "{host}", StringComparison.Ordinal), syslog, tree, reads, texts);
    }
}
