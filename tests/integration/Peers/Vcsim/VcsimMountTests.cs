using System.Diagnostics;
using System.Security.Cryptography;

using EsxiImport.Diagnostics;
using EsxiImport.IntegrationTests.Listing;

using Xunit.Abstractions;

namespace EsxiImport.IntegrationTests.Peers.Vcsim;

/// <summary>
/// The whole import path against govmomi's simulator: esxi-listvms writes the manifest, the plugin's
/// launch protocol mounts it, and every file in vcsim's datastore directories must be a file of
/// the right size under the mount whose bytes hash like a straight GET from vcsim.
/// </summary>
[Collection(VcsimCollection.Name)]
public sealed class VcsimMountTests(PopulatedVcsim vcsim, ITestOutputHelper output)
{
    [Fact]
    public async Task Every_file_vcsim_has_reads_through_the_mount_as_vcsim_serves_it()
    {
        var peer = vcsim.Peer;
        var ready = peer.Ready;
        string manifest;
        using (var password = new TempFile(ready.Password + "\n"))
        {
            var (exit, stdout, stderr) = await VcsimListingTests.ListAsync(ready, password.Path);
            exit.Should().Be(0, stderr);
            manifest = stdout;
        }

        await using var mount = PeerMount.Create(manifest, ready.Password + "\n");
        var verdict = await mount.MountAsync(ready.Host, ready.User);
        verdict.Should().Be("ok", "the plugin must see a ready mount; syslog:\n" + string.Join("\n", mount.Syslog()));
        var checks = await mount.WaitForVmChecksAsync(TimeSpan.FromSeconds(60));
        output.WriteLine($"mounted in {mount.MountTime.TotalSeconds:F2} s");
        output.WriteLine(string.Join("\n", mount.Syslog()));

        var (files, directories) = peer.Walk();
        files.Should().HaveCountGreaterThan(25, "the populated host has that many files");
        var clock = Stopwatch.StartNew();
        var problems = new List<string>();
        long bytes = 0;
        foreach (var (datastore, path) in directories)
        {
            if (!Directory.Exists(Under(mount, datastore, path)))
            {
                problems.Add($"[{datastore}] {path}/: not a directory under the mount");
            }
        }

        foreach (var file in files)
        {
            var problem = await CompareAsync(peer, Under(mount, file.Datastore, file.Path), file);
            var line = $"[{file.Datastore}] {file.Path}: ";
            if (problem is null)
            {
                output.WriteLine($"{line}{file.Size} bytes, SHA-256 {await Sha256Async(Path.Combine(ready.Datastores[file.Datastore], file.Path))} (mount = vcsim)");
            }
            else
            {
                problems.Add(line + problem);
            }

            bytes += file.Size;
        }

        output.WriteLine($"{files.Count} files, {bytes} bytes compared in {clock.Elapsed.TotalSeconds:F2} s");
        string.Join("\n", problems).Should().BeEmpty(
            $"every one of the {files.Count} files and {directories.Count} directories vcsim has must be under the mount as vcsim serves it ({problems.Count} are not)");

        // Listings show nothing vcsim does not have, and with its kind.
        foreach (var (datastore, root) in ready.Datastores)
        {
            var mounted = Under(mount, datastore, "");
            foreach (var entry in new DirectoryInfo(mounted).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
            {
                var onHost = Path.Combine(root, Path.GetRelativePath(mounted, entry.FullName));
                (entry is DirectoryInfo ? Directory.Exists(onHost) : File.Exists(onHost)).Should().BeTrue($"{entry.FullName} is listed, so vcsim has it as a {(entry is DirectoryInfo ? "directory" : "file")}");
            }
        }

        // Every populated VM checks out (its .vmx, descriptors and extents parse and resolve, the
        // disk on the second datastore by its /vmfs/volumes/<volume> path); vcsim's two model VMs
        // have empty .vmx files, which the checks report.
        var syslog = string.Join("\n", mount.Syslog());
        checks.Should().Be(Messages.Format("esxi-folder-fuse.vm.checked", ("count", 5), ("broken", 2)), syslog);
        mount.Syslog().Should().NotContain(r => vcsim.PopulatedNames.Any(n => r.Contains('"' + n + '"', StringComparison.Ordinal)), syslog);

        (await mount.StopToolAsync(TimeSpan.FromSeconds(15))).Should().BeTrue("SIGTERM ends the tool and leaves the mount to the plugin's umount");
        mount.IsMounted.Should().BeFalse();
    }

    private static string Under(PeerMount mount, string datastore, string path) =>
        Path.Combine(mount.MountPath, "ha-datacenter", datastore, path);

    /// <summary>Null when the mounted file is a file of the host's size whose bytes hash like the host's GET and the backing file.</summary>
    private static async Task<string?> CompareAsync(VcsimPeer peer, string mounted, DatastoreFile file)
    {
        if (Directory.Exists(mounted))
        {
            return "a directory under the mount";
        }

        var info = new FileInfo(mounted);
        if (!info.Exists)
        {
            return "missing under the mount";
        }

        if (info.Length != file.Size)
        {
            return $"size {info.Length} under the mount, {file.Size} on the host";
        }

        string read;
        try
        {
            read = await Sha256Async(mounted);
        }
        catch (IOException e)
        {
            return "read through the mount failed: " + e.Message;
        }

        var served = await peer.GetAsync(file.Datastore, file.Path);
        var stored = await Sha256Async(Path.Combine(peer.Ready.Datastores[file.Datastore], file.Path));
        if (served.Status != 200 || served.Sha256 != stored)
        {
            return $"vcsim's GET gave {served.Status}, {served.Length} bytes, SHA-256 {served.Sha256}; the file has {stored}";
        }

        return read == served.Sha256 ? null : $"SHA-256 through the mount {read}, from vcsim {served.Sha256}";
    }

    private static async Task<string> Sha256Async(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Convert.ToHexString(await SHA256.HashDataAsync(stream));
    }
}
