namespace EsxiImport.IntegrationTests.Mount;

/// <summary>Stopping, crashing and restarting the tool, and running it as an unprivileged user.</summary>
[Collection("fuse mounts")]
public sealed class ToolLifecycleTests
{
    [Fact]
    public async Task Sigterm_leaves_a_dead_mount_of_ours_that_umount_removes_and_the_path_takes_a_new_start()
    {
        await using var m = await ToolMount.StartAsync();
        m.IsMounted().Should().BeTrue();
        await ToolMount.SignalAsync(m.Tool.Id, "TERM");
        (await m.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().BeTrue("SIGTERM ends the tool");
        m.Tool.ExitCode.Should().Be(0, m.Stderr);
        await m.WaitForSyslogAsync(r => r == $"received SIGTERM, leaving the mount at \"{m.MountPoint}\" for the caller to unmount", TimeSpan.FromSeconds(15));

        // As upstream's tool, killed by the plugin's `systemctl stop`, leaves it: a dead mount of
        // the tool's type, for the plugin's umount that follows.
        File.ReadAllLines("/proc/mounts").Select(l => l.Split(' ')).Where(f => f[1] == m.MountPoint).Select(f => f[2])
            .Should().Equal("fuse.esxi-folder-fuse");
        (await Shell.RunAsync("ls \"$1\"", m.MountPoint)).Stderr.Should().Contain("Transport endpoint is not connected");
        (await ToolMount.UmountAsync(m.MountPoint)).Should().Be(0);
        m.IsMounted().Should().BeFalse();

        // A new start on the same path serves again; SIGINT (a person at a terminal) unmounts.
        await m.LaunchAsync(new ToolMountOptions { MountPoint = m.MountPoint });
        var ls = await Shell.RunAsync("ls \"$1\"", Path.Combine(m.MountPoint, MountScenarios.Datacenter));
        ls.ExitCode.Should().Be(0, ls.Stderr);
        await ToolMount.SignalAsync(m.Tool.Id, "INT");
        (await m.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().BeTrue("SIGINT ends the tool");
        m.Tool.ExitCode.Should().Be(0, m.Stderr);
        m.IsMounted().Should().BeFalse("SIGINT unmounts");
    }

    [Fact]
    public async Task A_killed_tool_leaves_ENOTCONN_which_the_next_start_detaches()
    {
        await using var m = await ToolMount.StartAsync();
        await ToolMount.SignalAsync(m.Tool.Id, "KILL");
        (await m.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().BeTrue();
        m.IsMounted().Should().BeTrue("the kernel keeps a dead daemon's mount");
        var stale = await Shell.RunAsync("ls \"$1\"", m.MountPoint);
        stale.Stderr.Should().Contain("Transport endpoint is not connected");

        await m.LaunchAsync(new ToolMountOptions { MountPoint = m.MountPoint });
        var ls = await Shell.RunAsync("ls \"$1\"", Path.Combine(m.MountPoint, MountScenarios.Datacenter));
        ls.ExitCode.Should().Be(0, ls.Stderr);
        ls.StdoutText.Should().Contain("datastore1");
        File.ReadAllLines("/proc/mounts").Count(l => l.Split(' ')[1] == m.MountPoint).Should().Be(1, "the stale mount was detached");
    }

    [Fact]
    public async Task Change_user_nobody_with_allow_other_serves_root_and_leaves_root_a_mount_to_unmount_on_sigterm()
    {
        await using var m = await ToolMount.StartAsync(options: new ToolMountOptions
        {
            ExtraArguments = ["--change-user", "nobody", "--change-group", "nogroup", "-o", "allow_other"],
        });
        var status = await File.ReadAllLinesAsync($"/proc/{m.Tool.Id}/status");
        status.Single(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)
            .Skip(1).Should().OnlyContain(id => id == "65534");
        status.Single(l => l.StartsWith("Gid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)
            .Skip(1).Should().OnlyContain(id => id == "65534");

        var vmx = await File.ReadAllBytesAsync(m.PathOf(MountScenarios.DiskDatastore, "alpha/alpha.vmx"));
        vmx.Should().Equal(m.Expected(MountScenarios.DiskDatastore, "alpha/alpha.vmx"));

        await ToolMount.SignalAsync(m.Tool.Id, "TERM");
        (await m.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().BeTrue();
        (await ToolMount.UmountAsync(m.MountPoint)).Should().Be(0, "the plugin's umount runs as root");
        m.IsMounted().Should().BeFalse();
    }
}
