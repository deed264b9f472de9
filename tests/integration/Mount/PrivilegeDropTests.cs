using EsxiImport.IntegrationTests.Support;

namespace EsxiImport.IntegrationTests.Mount;

/// <summary>
/// The framework-dependent build, copied into a folder only root may enter (as a clone under
/// /root or in a <c>mktemp -d</c> folder is), run with <c>--change-user nobody</c>: once the tool
/// is nobody it can no longer read its own files, so everything it does after the drop — a fatal
/// error after the mount, a failed read, SIGTERM before and after ready, an unmount from outside —
/// must run on what it loaded before. Every path ends with its exact texts, nothing left mounted,
/// and never a .NET stack trace.
/// </summary>
[Collection("fuse mounts")]
public sealed class PrivilegeDropTests : IDisposable
{
    private readonly ToolCopy _tool = ToolCopy.Create(worldReadable: false);

    public void Dispose() => _tool.Dispose();

    private ToolMountOptions AsNobody(ToolMountOptions? options = null) => (options ?? new ToolMountOptions()) with
    {
        ToolPath = _tool.ToolPath,
        ExtraArguments = ["--change-user", "nobody", "-o", "allow_other", .. options?.ExtraArguments ?? []],
        Environment = ToolMount.FastHttp,
    };

    private static void NobodyCannotRead(string path)
    {
        var look = Shell.RunAsync("setpriv --reuid=65534 --regid=65534 --clear-groups cat \"$1\" > /dev/null", path).GetAwaiter().GetResult();
        look.ExitCode.Should().NotBe(0, "the copy must be out of nobody's reach, or the test proves nothing");
    }

    [Fact]
    public async Task After_the_drop_a_failed_read_is_EIO_with_its_warning_and_sigterm_leaves_the_mount_to_umount()
    {
        NobodyCannotRead(Path.Combine(_tool.Directory, "YamlDotNet.dll"));
        await using var m = await ToolMount.StartAsync(options: AsNobody(new ToolMountOptions
        {
            FaultRules = [$"folder:GET:{MountScenarios.DiskFlat}:always:status:500"],
        }));
        var status = await File.ReadAllLinesAsync($"/proc/{m.Tool.Id}/status");
        status.Single(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Should().Be("Uid:\t65534\t65534\t65534\t65534");
        status.Single(l => l.StartsWith("Gid:", StringComparison.Ordinal)).Should().Be("Gid:\t65534\t65534\t65534\t65534", "--change-user alone takes nobody's primary group");
        await m.WaitForSyslogAsync(r => r.StartsWith("VM checks finished: ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        m.DrainSyslog();

        var read = await Shell.RunAsync("cat \"$1\" > /dev/null", m.PathOf(MountScenarios.DiskDatastore, MountScenarios.DiskFlat));
        read.Stderr.Should().Contain("Input/output error");
        // The kernel may ask again after the first EIO: every record is one of those of a failed read.
        var file = $"\"ha-datacenter\"/\"datastore1\"/\"{MountScenarios.DiskFlat}\"";
        string[] texts =
        [
            $"request for {file} failed, retrying (1 of 3): http error code 500 Internal Server Error",
            $"request for {file} failed, retrying (2 of 3): http error code 500 Internal Server Error",
            $"request for {file} failed, retrying (3 of 3): http error code 500 Internal Server Error",
        ];

        // The range is what the first read asked for: the kernel's read, not yet a run (read-ahead
        // waits for a second read in a row).
        var readFailed = new System.Text.RegularExpressions.Regex(
            "^READ on node 5 failed: error reading " + System.Text.RegularExpressions.Regex.Escape(file) + " bytes 0-[0-9]+: http error code 500 Internal Server Error$");
        var records = m.DrainSyslog();
        records.Should().NotBeEmpty().And.OnlyContain(r => texts.Contains(r) || readFailed.IsMatch(r));
        records[^1].Should().MatchRegex(readFailed.ToString());

        await ToolMount.SignalAsync(m.Tool.Id, "TERM");
        (await m.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().BeTrue();
        m.Tool.ExitCode.Should().Be(0);
        m.DrainSyslog().Should().EndWith($"received SIGTERM, leaving the mount at \"{m.MountPoint}\" for the caller to unmount");
        (await ToolMount.UmountAsync(m.MountPoint)).Should().Be(0, "SIGTERM leaves the mount for the caller's umount");
        m.IsMounted().Should().BeFalse();
        m.Stderr.Should().BeEmpty();
    }

    [Fact]
    public async Task After_the_drop_a_fatal_error_unmounts_and_reports_on_every_channel()
    {
        await using var m = await ToolMount.StartAsync(options: AsNobody(new ToolMountOptions
        {
            FaultRules = ["folder:*:*:always:status:401"],
            RequireReady = false,
        }));
        var readyFd = await m.ReadyText;
        (await m.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().BeTrue();
        var host = m.Host.BaseUri.Authority;
        const string datastore = "failed to access datastore \"datastore1\" of datacenter \"ha-datacenter\" on ";
        const string refused = "login refused by the ESXi host: incorrect user name or password (http error code 401)";
        readyFd.Should().Be($"ERROR: failed to connect to ESXi host {host}: {datastore}{host}: {refused}\n");
        m.Tool.ExitCode.Should().Be(255);
        m.Stderr.Should().Be($"Error: failed to connect to ESXi host {host}\n");
        m.DrainSyslog().Should().Equal($"Error: failed to connect to ESXi host {host}\n {datastore}{host}\n {refused}");
        m.IsMounted().Should().BeFalse();
    }

    [Fact]
    public async Task After_the_drop_sigterm_before_ready_unmounts_and_reports_the_interruption()
    {
        await using var m = await ToolMount.StartAsync(options: AsNobody(new ToolMountOptions
        {
            FaultRules = ["folder:*:*:always:delay:20000"],
            WaitForReady = false,
        }));
        await WaitForAsync(() => m.Host.RequestLog.Entries.Count > 0, "the tool asks the host, after the drop");
        await ToolMount.SignalAsync(m.Tool.Id, "TERM");
        (await m.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().BeTrue();
        var host = m.Host.BaseUri.Authority;
        var cause = $"the mount at \"{m.MountPoint}\" is undone; ESXi host {host} was not ready yet";
        (await m.ReadyText).Should().Be($"ERROR: interrupted by SIGTERM before the mount was ready: {cause}\n");
        m.Tool.ExitCode.Should().Be(255);
        m.Stderr.Should().Be("Error: interrupted by SIGTERM before the mount was ready\n");
        m.DrainSyslog().Should().Equal($"Error: interrupted by SIGTERM before the mount was ready\n {cause}");
        m.IsMounted().Should().BeFalse();
    }

    [Fact]
    public async Task After_the_drop_an_unmount_from_outside_ends_the_tool_cleanly()
    {
        await using var m = await ToolMount.StartAsync(options: AsNobody());
        await m.WaitForSyslogAsync(r => r.StartsWith("VM checks finished: ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        (await Shell.RunAsync("umount \"$1\"", m.MountPoint)).ExitCode.Should().Be(0);
        (await m.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().BeTrue();
        m.Tool.ExitCode.Should().Be(0);
        m.DrainSyslog().Should().Equal("esxi fuse mount ready", "VM checks finished: 6 checked, 0 with problems");
        m.Stderr.Should().BeEmpty();
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), what);
            await Task.Delay(20);
        }
    }
}
