using System.Security.Cryptography;

using EsxiImport.Emulator.Datastore;
using EsxiImport.Emulator.Scenarios;

namespace EsxiImport.IntegrationTests.Mount;

/// <summary>
/// The mounted tree of a healthy host through the kernel: listing, attributes, every byte of every
/// file, qemu-img on a descriptor+flat disk, parallel readers, names that need escaping, datastores
/// found on lookup, and the read-only refusals.
/// </summary>
[Collection("fuse mounts")]
public sealed class MountedTreeTests(SmallMountFixture fixture) : IClassFixture<SmallMountFixture>
{
    private ToolMount M => fixture.Mount;

    /// <summary>(datastore, path) of every file the tree must show once the VM checks are done.</summary>
    private IReadOnlyList<(string Datastore, string Path)> ExpectedFiles()
    {
        var files = new List<(string, string)>();
        foreach (var vm in M.Manifest.Datacenters[MountScenarios.Datacenter].Vms.Values)
        {
            files.Add((vm.Config.Datastore, vm.Config.Path));
            foreach (var disk in vm.Disks)
            {
                files.Add((disk.Datastore, disk.Path));
                files.Add((disk.Datastore, VmFileLayout.FlatPathOf(disk.Path)));
            }
        }

        return files;
    }

    private Task WaitForChecksAsync() =>
        M.WaitForSyslogAsync(r => r.StartsWith("VM checks finished: ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Ls_R_shows_the_manifest_tree_with_every_extent_found_by_the_checks()
    {
        await WaitForChecksAsync();
        var ls = await Shell.RunAsync("cd \"$1\" && ls -R", M.MountPoint);
        ls.ExitCode.Should().Be(0, ls.Stderr);

        var find = await Shell.RunAsync("cd \"$1\" && find . -type f -printf '%P\\n'", M.MountPoint);
        find.ExitCode.Should().Be(0, find.Stderr);
        var expected = ExpectedFiles().Select(f => MountScenarios.Datacenter + "/" + f.Datastore + "/" + f.Path).ToList();
        var found = find.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        found.Should().Contain(expected);

        // Beyond the manifest, only names another test looked up may have joined the tree, and
        // those are real files of the host.
        foreach (var extra in found.Except(expected))
        {
            var parts = extra.Split('/', 3);
            M.Host.Datastores.Find(MountScenarios.Datacenter, parts[1])!.Find(parts[2]).Should().BeOfType<DatastoreFile>(extra);
        }
        foreach (var name in expected)
        {
            ls.StdoutText.Should().Contain(Path.GetFileName(name));
        }
    }

    [Fact]
    public async Task Stat_gives_emulator_sizes_files_0444_directories_0555()
    {
        await WaitForChecksAsync();
        foreach (var (ds, path) in ExpectedFiles())
        {
            var full = M.PathOf(ds, path);
            var info = new FileInfo(full);
            info.Exists.Should().BeTrue(full);
            info.Length.Should().Be(M.ExpectedLength(ds, path), full);
            info.UnixFileMode.Should().Be((UnixFileMode)0b100_100_100, full);
            new DirectoryInfo(Path.GetDirectoryName(full)!).UnixFileMode.Should().Be((UnixFileMode)0b101_101_101);
        }

        new DirectoryInfo(M.MountPoint).UnixFileMode.Should().Be((UnixFileMode)0b101_101_101);
        new DirectoryInfo(Path.Combine(M.MountPoint, MountScenarios.Datacenter)).UnixFileMode.Should().Be((UnixFileMode)0b101_101_101);
    }

    [Fact]
    public async Task Every_file_reads_back_with_the_generators_checksum()
    {
        await WaitForChecksAsync();
        foreach (var (ds, path) in ExpectedFiles())
        {
            var sum = await Shell.RunAsync("sha256sum < \"$1\"", M.PathOf(ds, path));
            sum.ExitCode.Should().Be(0, sum.Stderr);
            sum.StdoutText.Split(' ')[0].Should().Be(Shell.Sha256(M.Expected(ds, path)), ds + "/" + path);
        }
    }

    [Fact]
    public async Task Qemu_img_reads_the_descriptor_and_converts_to_the_flat_bytes()
    {
        var descriptor = M.PathOf(MountScenarios.DiskDatastore, MountScenarios.DiskDescriptor);
        var info = await Shell.RunAsync("qemu-img info --output=json \"$1\"", descriptor);
        info.ExitCode.Should().Be(0, info.Stderr);
        info.StdoutText.Should().Contain("\"format\": \"vmdk\"").And.Contain("\"virtual-size\": " + (16 << 20));

        var raw = Path.Combine(M.Directory, "alpha.raw");
        try
        {
            var convert = await Shell.RunAsync("qemu-img convert -f vmdk -O raw \"$1\" \"$2\"", descriptor, raw);
            convert.ExitCode.Should().Be(0, convert.Stderr);
            Shell.Sha256(await File.ReadAllBytesAsync(raw)).Should().Be(Shell.Sha256(M.Expected(MountScenarios.DiskDatastore, MountScenarios.DiskFlat)));
        }
        finally
        {
            File.Delete(raw);
        }
    }

    [Fact]
    public async Task Eight_parallel_readers_at_random_offsets_get_the_right_bytes()
    {
        try
        {
            await ParallelReaders.RunAsync(
                M.PathOf(MountScenarios.DiskDatastore, MountScenarios.DiskFlat),
                M.Expected(MountScenarios.DiskDatastore, MountScenarios.DiskFlat),
                readers: 8,
                readsEach: 40,
                TimeSpan.FromSeconds(60));
        }
        catch (IOException e)
        {
            // What the tool said about the failed read is the diagnosis.
            throw new IOException(e.Message + "\nsyslog:\n" + string.Join("\n", M.SyslogRecords.TakeLast(20)), e);
        }
    }

    [Theory]
    [InlineData("Local SSD (1)", "web #1 [prod]/web #1.vmx")]
    [InlineData("datastore1", "100%/100%.vmx")]
    [InlineData("datastore1", "a&b c+d/a&b c+d-flat.vmdk")]
    [InlineData("dätastore ü", "ümlaut x y/ümlaut x y.vmdk")]
    [InlineData("dätastore ü", "alpha/alpha_1-flat.vmdk")]
    public async Task Names_with_reserved_and_non_ascii_characters_round_trip(string datastore, string path)
    {
        await WaitForChecksAsync();
        var bytes = await File.ReadAllBytesAsync(M.PathOf(datastore, path));
        Shell.Sha256(bytes).Should().Be(Shell.Sha256(M.Expected(datastore, path)));
        Directory.GetFileSystemEntries(Path.GetDirectoryName(M.PathOf(datastore, path))!)
            .Select(Path.GetFileName).Should().Contain(Path.GetFileName(path));
    }

    [Fact]
    public async Task A_datastore_missing_from_the_manifest_is_found_on_lookup()
    {
        M.Manifest.Datacenters[MountScenarios.Datacenter].Datastores.Should().NotContainKey(MountScenarios.SpareDatastore);
        Directory.Exists(M.PathOf(MountScenarios.SpareDatastore)).Should().BeTrue();
        var bytes = await File.ReadAllBytesAsync(M.PathOf(MountScenarios.SpareDatastore, MountScenarios.SpareFile));
        SHA256.HashData(bytes).Should().Equal(SHA256.HashData(M.Expected(MountScenarios.SpareDatastore, MountScenarios.SpareFile)));
        var missing = await Shell.RunAsync("stat \"$1\"", M.PathOf("no-such-datastore"));
        missing.ExitCode.Should().NotBe(0);
        missing.Stderr.Should().Contain("No such file or directory");
    }

    [Fact]
    public async Task Missing_names_are_ENOENT_but_a_transient_500_is_EIO_and_not_remembered()
    {
        var missing = await Shell.RunAsync("stat \"$1\"", M.PathOf("datastore1", "alpha/no-such-file"));
        missing.Stderr.Should().Contain("No such file or directory");

        // The .nvram is on the host but not in the manifest: the tree learns it by HEAD.
        const string nvram = "alpha/alpha.nvram";
        var attempts = int.Parse(ToolMount.FastHttp["ESXI_FUSE_MAX_ATTEMPTS"], System.Globalization.CultureInfo.InvariantCulture);
        var rule = M.Host.Faults.Add($"folder:HEAD:{nvram}:first:{attempts}:status:500");
        try
        {
            var failed = await Shell.RunAsync("stat \"$1\"", M.PathOf("datastore1", nvram));
            failed.ExitCode.Should().NotBe(0);
            failed.Stderr.Should().Contain("Input/output error");
            rule.Hits.Should().Be(attempts);

            var later = await Shell.RunAsync("stat -c %s \"$1\"", M.PathOf("datastore1", nvram));
            later.ExitCode.Should().Be(0, later.Stderr);
            long.Parse(later.StdoutText.Trim(), System.Globalization.CultureInfo.InvariantCulture).Should().Be(M.ExpectedLength("datastore1", nvram));
        }
        finally
        {
            M.Host.Faults.Remove(rule);
        }
    }

    [Theory]
    [InlineData("echo x > \"$1/datastore1/alpha/alpha.vmx\"")]
    [InlineData("touch \"$1/datastore1/alpha/new-file\"")]
    [InlineData("mkdir \"$1/datastore1/new-dir\"")]
    [InlineData("chmod 0644 \"$1/datastore1/alpha/alpha.vmx\"")]
    [InlineData("rm \"$1/datastore1/alpha/alpha.vmx\"")]
    [InlineData("mv \"$1/datastore1/alpha/alpha.vmx\" \"$1/datastore1/alpha/b.vmx\"")]
    public async Task Changes_are_refused_with_EROFS(string script)
    {
        var result = await Shell.RunAsync(script, Path.Combine(M.MountPoint, MountScenarios.Datacenter));
        result.ExitCode.Should().NotBe(0);
        result.Stderr.Should().Contain("Read-only file system");
    }
}
