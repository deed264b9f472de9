namespace EsxiImport.IntegrationTests.Mount;

/// <summary>
/// What is already mounted at the mount path decides the start: only a dead mount of this tool is
/// detached. A live instance stays and keeps serving; a tool that is not root and finds nothing
/// mounted starts as usual; one that finds a dead mount it may not unmount says so and names it.
/// (A tmpfs holding data, and a dead instance as root: golden cases mount-path-busy, stale-mount.)
/// </summary>
[Collection("fuse mounts")]
public sealed class MountPathTests
{
    [Fact]
    public async Task A_live_instance_at_the_path_is_an_early_error_and_keeps_serving()
    {
        await using var m = await ToolMount.StartAsync();
        var first = m.Tool;
        var readyFd = await m.LaunchAsync(new ToolMountOptions { MountPoint = m.MountPoint, RequireReady = false });
        (await m.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().BeTrue();
        readyFd.Should().Be($"ERROR: failed to mount fuse file system at \"{m.MountPoint}\": a running fuse.esxi-folder-fuse instance is mounted there; it is left alone\n");
        m.Tool.ExitCode.Should().Be(255);

        first.HasExited.Should().BeFalse();
        var vmx = await File.ReadAllBytesAsync(m.PathOf(MountScenarios.DiskDatastore, "alpha/alpha.vmx"));
        vmx.Should().Equal(m.Expected(MountScenarios.DiskDatastore, "alpha/alpha.vmx"), "the first instance still serves");
        File.ReadAllLines("/proc/mounts").Count(l => l.Split(' ')[1] == m.MountPoint).Should().Be(1);
    }

    [Fact]
    public async Task Not_root_and_nothing_mounted_is_no_error()
    {
        using var tool = Support.ToolCopy.Create(worldReadable: true);
        await using var m = await ToolMount.StartEmulatorAsync(MountScenarios.Small());
        var mnt = Path.Combine(m.Directory, "mnt");
        Directory.CreateDirectory(mnt);
        (await Shell.RunAsync("chown nobody \"$1\"", mnt)).ExitCode.Should().Be(0);
        var ready = await m.LaunchAsync(new ToolMountOptions
        {
            ToolPath = tool.ToolPath,
            RunAsUser = "65534",
            PasswordFile = false,
            ExtraArguments = ["--password", m.Host.User.Password],
            RequireReady = false,
        });
        // Where /dev/fuse is root's alone (as in this container) fusermount3 cannot mount for nobody;
        // either way the start got past the stale-mount step, which used to fail with EPERM here.
        ready.Should().NotContain("old fuse instance");
        if (ready.Length > 0)
        {
            ready.Should().EndWith("fusermount3: failed to open /dev/fuse: Permission denied\n");
            return;
        }

        m.IsMounted().Should().BeTrue();
        await ToolMount.SignalAsync(m.Tool.Id, "TERM");
        (await m.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().BeTrue();
        m.Tool.ExitCode.Should().Be(0);
        (await ToolMount.UmountAsync(m.MountPoint)).Should().Be(0, "SIGTERM leaves the mount for the caller's umount");
        m.IsMounted().Should().BeFalse();
    }

    [Fact]
    public async Task Not_root_with_a_dead_mount_of_root_says_it_may_not_unmount_and_names_it()
    {
        using var tool = Support.ToolCopy.Create(worldReadable: true);
        await using var m = await ToolMount.StartAsync();
        await ToolMount.SignalAsync(m.Tool.Id, "KILL");
        (await m.WaitForExitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();
        m.IsMounted().Should().BeTrue("a killed daemon leaves its mount");

        var ready = await m.LaunchAsync(new ToolMountOptions
        {
            MountPoint = m.MountPoint,
            ToolPath = tool.ToolPath,
            RunAsUser = "65534",
            PasswordFile = false,
            ExtraArguments = ["--password", m.Host.User.Password],
            RequireReady = false,
        });
        (await m.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().BeTrue();
        ready.Should().Be("ERROR: failed to unmount old fuse instance: not allowed to unmount the dead fuse.esxi-folder-fuse mount of \"esxi-folder-fuse\" (only root may): Operation not permitted (os error 1)\n");
        m.IsMounted().Should().BeTrue("nothing was unmounted");
    }
}
