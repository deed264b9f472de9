using EsxiImport.Emulator.Inventory;
using EsxiImport.TestSupport.Emulator;
using EsxiImport.VmxParser.Manifest;

namespace EsxiImport.IntegrationTests.Mount;

/// <summary>
/// Any valid manifest mounts, as with upstream's tool: <c>{}</c> (a host without importable VMs),
/// datacenters without VMs, and manifests whose first VM, or every VM, is on a datastore the host
/// no longer has. Only a refused login, an unreachable host or a TLS failure stop the mount.
/// </summary>
[Collection("fuse mounts")]
public sealed class AnyManifestTests
{
    private const string Gone = "gone-datastore";

    private static readonly ManifestVm OnGoneDatastore = new(new ManifestConfig(Gone, "lost/lost.vmx", ManifestJson.NoChecksum), [], "poweredOff");

    private static string Text(Manifest manifest) => ManifestJson.Serialize(manifest);

    /// <summary>The scenario's own listing, changed per datacenter by <paramref name="change"/>.</summary>
    private static Manifest Listing(Func<ManifestDatacenter, ManifestDatacenter> change) =>
        new(ExpectedManifest.From(MountScenarios.Small()).Datacenters.ToDictionary(p => p.Key, p => change(p.Value)));

    private static ManifestDatacenter WithGoneVmFirst(ManifestDatacenter dc) => new(
        new Dictionary<string, string> { [Gone] = "/vmfs/volumes/00000000-00000000-0000-000000000000/" }.Concat(dc.Datastores).ToDictionary(),
        new Dictionary<string, ManifestVm> { ["lost"] = OnGoneDatastore }.Concat(dc.Vms).ToDictionary());

    [Fact]
    public async Task An_empty_manifest_mounts_an_empty_tree_without_asking_the_host()
    {
        await using var m = await ToolMount.StartAsync(options: new ToolMountOptions { ManifestText = "{}" });

        Directory.EnumerateFileSystemEntries(m.MountPoint).Should().BeEmpty();
        m.SyslogRecords.Should().Contain("the manifest lists no VMs")
            .And.Contain("the manifest lists no datastore; the login is not checked before ready");
        await m.WaitForSyslogAsync(r => r.StartsWith("VM checks finished: 0 checked", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        m.Host.Counters.FolderRequests.Should().Be(0);
    }

    [Fact]
    public async Task A_datacenter_without_vms_mounts_its_datastores_and_logs_in_with_them()
    {
        var manifest = Listing(dc => new ManifestDatacenter(dc.Datastores, new Dictionary<string, ManifestVm>()));
        await using var m = await ToolMount.StartAsync(options: new ToolMountOptions { ManifestText = Text(manifest) });

        m.SyslogRecords.Should().Contain("the manifest lists no VMs");
        var vmx = await File.ReadAllBytesAsync(m.PathOf(MountScenarios.DiskDatastore, "alpha/alpha.vmx"));
        vmx.Should().Equal(m.Expected(MountScenarios.DiskDatastore, "alpha/alpha.vmx"), "files are found by lookup");
    }

    [Fact]
    public async Task A_first_vm_on_a_datastore_the_host_lacks_is_a_warning_and_the_rest_mounts()
    {
        await using var m = await ToolMount.StartAsync(options: new ToolMountOptions { ManifestText = Text(Listing(WithGoneVmFirst)) });

        m.SyslogRecords.Should().Contain(
            $"datastore \"{Gone}\" of datacenter \"{MountScenarios.Datacenter}\" is not on ESXi host {m.Host.BaseUri.Authority}; its files cannot be read");
        var checks = await m.WaitForSyslogAsync(r => r.StartsWith("VM checks finished: ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        checks.Should().Contain("1 with problems", "only the VM on the missing datastore");
        var vmx = await File.ReadAllBytesAsync(m.PathOf(MountScenarios.DiskDatastore, "alpha/alpha.vmx"));
        vmx.Should().Equal(m.Expected(MountScenarios.DiskDatastore, "alpha/alpha.vmx"));
    }

    [Fact]
    public async Task A_manifest_whose_every_datastore_is_gone_still_mounts_with_a_warning_for_each()
    {
        var manifest = new Manifest(new Dictionary<string, ManifestDatacenter>
        {
            [MountScenarios.Datacenter] = new(
                new Dictionary<string, string> { [Gone] = "/vmfs/volumes/x/", ["also-gone"] = "/vmfs/volumes/y/" },
                new Dictionary<string, ManifestVm> { ["lost"] = OnGoneDatastore }),
        });
        await using var m = await ToolMount.StartAsync(options: new ToolMountOptions { ManifestText = Text(manifest) });

        m.SyslogRecords.Where(r => r.Contains("is not on ESXi host", StringComparison.Ordinal)).Should().HaveCount(2);
        m.IsMounted().Should().BeTrue();
    }

    [Fact]
    public async Task A_refused_login_still_fails_the_mount_whatever_datastore_comes_first()
    {
        await using var m = await ToolMount.StartEmulatorAsync(MountScenarios.Small());
        await File.WriteAllTextAsync(m.PasswordPath, "wrong\n");
        var ready = await m.LaunchAsync(new ToolMountOptions { ManifestText = Text(Listing(WithGoneVmFirst)), RequireReady = false });

        ready.Should().Be($"ERROR: failed to connect to ESXi host {m.Host.BaseUri.Authority}: failed to access datastore \"{Gone}\" of datacenter "
            + $"\"{MountScenarios.Datacenter}\" on {m.Host.BaseUri.Authority}: login refused by the ESXi host: incorrect user name or password (http error code 401)\n");
        (await m.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().BeTrue();
        m.Tool.ExitCode.Should().Be(255);
        m.IsMounted().Should().BeFalse();
    }
}
