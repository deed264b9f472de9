using System.Globalization;
using System.Text;

using EsxiImport.IntegrationTests.Fuse;
using EsxiImport.IntegrationTests.Mount;

namespace EsxiImport.IntegrationTests.Reliability;

/// <summary>What the tool must never leak or allow, checked on the built tool with a real mount.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(ReliabilityCollection.Name)]
public sealed class SecurityTests
{
    private const string Secret = "Zq7-unusual-s3cr3t-91";

    [Fact]
    public async Task The_password_appears_in_no_command_line_stderr_or_syslog_record()
    {
        await using var mount = await ToolMount.StartEmulatorAsync(DiskScenario.Of([1L << 20], password: Secret));
        (await mount.StartToolAsync(["--debug"])).Should().BeEmpty();
        File.ReadAllBytes(mount.DiskPath(0)).Length.Should().Be(1 << 20);

        foreach (var pid in ProcessTree(mount.Tool.Id))
        {
            var cmdline = Encoding.UTF8.GetString(File.ReadAllBytes($"/proc/{pid}/cmdline"));
            cmdline.Should().NotContain(Secret, "pid {0} runs {1}", pid, cmdline.Replace('\0', ' '));
        }

        // --debug copies every log record to stderr until ready, the HTTP requests included.
        await Task.Delay(500);
        mount.Stderr.Should().Contain("Debug").And.NotContain(Secret);
        mount.DrainSyslog().Should().NotBeEmpty().And.AllSatisfy(r => r.Should().NotContain(Secret));
    }

    [Fact]
    public async Task A_world_readable_password_file_gives_a_warning_and_a_private_one_none()
    {
        await using var mount = await ToolMount.StartEmulatorAsync(DiskScenario.Of([1L << 20]));
        (await mount.StartToolAsync()).Should().BeEmpty();
        await StopAsync(mount);
        mount.Stderr.Should().NotContain("readable by every user");
        mount.DrainSyslog().Should().NotContain(r => r.Contains("readable by every user", StringComparison.Ordinal));

        File.SetUnixFileMode(mount.PasswordPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        (await mount.StartToolAsync()).Should().BeEmpty();
        await StopAsync(mount);
        var warning = "Warning: the password file \"" + mount.PasswordPath + "\" is readable by every user";
        mount.Stderr.Should().Contain(warning);
        mount.DrainSyslog().Should().Contain(r => r.Contains(warning, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Certificates_are_verified_by_default_and_a_wrong_one_fails_with_a_clear_message()
    {
        await using var mount = await ToolMount.StartEmulatorAsync(DiskScenario.Of([1L << 20]));

        var ready = await mount.StartToolAsync(skipCertificateVerification: false);

        ready.Should().StartWith("ERROR: ").And.ContainEquivalentOf("certificate");
        await mount.Tool.WaitForExitAsync();
        mount.Tool.ExitCode.Should().NotBe(0);
        File.ReadAllLines("/proc/mounts").Should().NotContain(l => l.Contains(" " + mount.MountPoint + " ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Odd_names_in_a_lookup_never_reach_outside_the_datastore()
    {
        await using var mount = await ToolMount.StartEmulatorAsync(DiskScenario.Of([1L << 20]));
        (await mount.StartToolAsync()).Should().BeEmpty();
        var ds = Path.Combine(mount.MountPoint, "ha-datacenter", "ds");
        var before = mount.Host.RequestLog.Entries.Count;

        string[] names = ["vm0%2Fvm0-flat.vmdk", "..%2F..%2Fetc%2Fpasswd", "%2E%2E", "vm0\\..\\vm0", "..%2Fds%2Fvm0%2Fvm0-flat.vmdk"];
        foreach (var name in names)
        {
            File.Exists(Path.Combine(ds, name)).Should().BeFalse(name);
            File.Exists(Path.Combine(ds, "vm0", name)).Should().BeFalse(name);
        }

        // ".." is resolved by the kernel, above the mount's root it is the host's directory.
        Directory.Exists(Path.Combine(mount.MountPoint, "..", "mnt")).Should().BeTrue();
        // A NUL cannot reach a FUSE lookup: the kernel refuses such a path at the system call.
        var nul = () => File.ReadAllBytes(Path.Combine(ds, "vm0\0/../../etc/passwd"));
        nul.Should().Throw<ArgumentException>();

        // Whatever the tool asked the host for stays one escaped segment: no "/" or ".." of the
        // name turned into a path step, no "%2F" passed through unescaped.
        foreach (var e in mount.Host.RequestLog.Entries.Skip(before))
        {
            e.Target.Should().NotContainEquivalentOf("%2F");
            (e.Subject ?? "").Split('/').Should().NotContain("..").And.NotContain("etc");
        }
    }

    [Fact]
    public async Task The_mount_is_read_only()
    {
        await using var mount = await ToolMount.StartEmulatorAsync(DiskScenario.Of([1L << 20]));
        (await mount.StartToolAsync()).Should().BeEmpty();
        var disk = mount.DiskPath(0);
        using var runner = new ProcessRunner();

        string[] writes =
        [
            $"echo x >> '{disk}'",
            $"echo x > '{Path.GetDirectoryName(disk)}/new-file'",
            $"chmod 777 '{disk}'",
            $"mkdir '{Path.GetDirectoryName(disk)}/new-dir'",
            $"rm -f '{disk}'",
            $"truncate -s 0 '{disk}'",
            $"touch '{disk}'",
        ];
        foreach (var write in writes)
        {
            var result = await runner.ShellAsync(write);
            result.ExitCode.Should().NotBe(0, write);
            result.Stderr.Should().Contain("Read-only file system", write);
        }

        new FileInfo(disk).Length.Should().Be(1 << 20);
        File.ReadAllLines("/proc/mounts").Single(l => l.Contains(" " + mount.MountPoint + " ", StringComparison.Ordinal))
            .Split(' ')[3].Split(',').Should().Contain("ro");
    }

    [Fact]
    public async Task Allow_other_is_set_only_on_request()
    {
        await using var mount = await ToolMount.StartEmulatorAsync(DiskScenario.Of([1L << 20]));
        (await mount.StartToolAsync()).Should().BeEmpty();
        MountOptions(mount).Should().NotContain("allow_other");
        await StopAsync(mount);

        (await mount.StartToolAsync(["-o", "allow_other"])).Should().BeEmpty();
        MountOptions(mount).Should().Contain("allow_other");
    }

    [Fact]
    public async Task After_mounting_the_process_runs_as_the_requested_user_and_group()
    {
        await using var mount = await ToolMount.StartEmulatorAsync(DiskScenario.Of([1L << 20]));
        // As the plugin runs it: with allow_other, or only the unprivileged user could enter the mount.
        (await mount.StartToolAsync(["--change-user", "nobody", "--change-group", "nogroup", "-o", "allow_other"])).Should().BeEmpty();

        var status = File.ReadAllLines($"/proc/{mount.Tool.Id}/status");
        var ids = (string key) => status.Single(l => l.StartsWith(key, StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1..];
        ids("Uid:").Should().AllBe("65534", "real, effective, saved and fs uid");
        ids("Gid:").Should().AllBe("65534");
        File.ReadAllBytes(mount.DiskPath(0)).Length.Should().Be(1 << 20, "the mount still serves after dropping privileges");
    }

    private static string[] MountOptions(ToolMount mount)
    {
        var line = File.ReadAllLines("/proc/mounts").Single(l => l.Contains(" " + mount.MountPoint + " ", StringComparison.Ordinal));
        return line.Split(' ')[3].Split(',');
    }

    private static async Task StopAsync(ToolMount mount)
    {
        await ToolMount.SignalAsync(mount.Tool.Id, "TERM");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await mount.Tool.WaitForExitAsync(cts.Token);
        (await ToolMount.UmountAsync(mount.MountPoint)).Should().Be(0, "SIGTERM leaves the mount for the caller's umount");
        await Task.Delay(200); // the stderr reader drains the last lines
    }

    private static IEnumerable<int> ProcessTree(int pid)
    {
        yield return pid;
        foreach (var task in Directory.GetDirectories($"/proc/{pid}/task"))
        {
            var children = File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (var child in children.Select(c => int.Parse(c, CultureInfo.InvariantCulture)))
            {
                foreach (var p in ProcessTree(child))
                {
                    yield return p;
                }
            }
        }
    }
}
