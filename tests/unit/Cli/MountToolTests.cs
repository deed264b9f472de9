using System.IO.Pipes;
using System.Net.Sockets;
using System.Text;

using EsxiImport.EsxiFuse.Os;
using EsxiImport.EsxiFuse.Startup;
using EsxiImport.Fuse.Native;

namespace EsxiImport.UnitTests.Cli;

/// <summary>The startup sequence in-process, with doubles for the plug points and a temp syslog socket.</summary>
public sealed class MountToolTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("esxi-tool-").FullName;
    private readonly Socket _syslog = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();

    public MountToolTests()
    {
        _syslog.Bind(new UnixDomainSocketEndPoint(Path.Combine(_dir, "log")));
        _syslog.ReceiveTimeout = 5000;
        File.WriteAllText(Manifest, """{"dc1":{"datastores":{"ds1":"/vmfs/volumes/1/"},"vms":{"vm":{"config":{"datastore":"ds1","path":"vm/vm.vmx","checksum":"x"},"disks":[{"datastore":"ds1","path":"vm/vm.vmdk","capacity":1}],"power":"poweredOff"}}}}""");
        Directory.CreateDirectory(MountDir);
    }

    private string Manifest => Path.Combine(_dir, "manifest.json");

    private string MountDir => Path.Combine(_dir, "mnt");

    public void Dispose()
    {
        _syslog.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private Task<int> Run(StepDoubles steps, IReadOnlyList<int>? stdFds, params string[] args) =>
        new MountTool(steps.Steps, new ToolEnvironment(_stdout, _stderr, Path.Combine(_dir, "log"), stdFds ?? [], OwnsProcess: false))
            .RunAsync("esxi-folder-fuse", args);

    private string NextSyslogMessage()
    {
        var buffer = new byte[8192];
        var text = Encoding.UTF8.GetString(buffer, 0, _syslog.Receive(buffer));
        return text[(text.IndexOf("]: ", StringComparison.Ordinal) + 3)..];
    }

    private static (AnonymousPipeServerStream Reader, int WriteFd) NewPipe()
    {
        var reader = new AnonymousPipeServerStream(PipeDirection.In);
        var writeFd = FreeDescriptor.Dup((int)reader.ClientSafePipeHandle.DangerousGetHandle());
        reader.DisposeLocalCopyOfClientHandle();
        return (reader, writeFd);
    }

    [Fact]
    public async Task A_healthy_start_mounts_connects_signals_ready_serves_and_unmounts()
    {
        var steps = new StepDoubles();
        var (reader, fd) = NewPipe();
        using (reader)
        {
            var exit = await Run(steps, null, "--ready-fd", fd.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-o", "allow_other", "--max-requests", "2", "--strict", "--user", "root", "--password", "pw", "[::1]:8443", Manifest, MountDir);
            exit.Should().Be(0);
            new StreamReader(reader).ReadToEnd().Should().BeEmpty("success closes the ready fd without data");
        }

        NextSyslogMessage().Should().Be("esxi fuse mount ready");
        steps.MountedWith!.Options.AllowOther.Should().BeTrue();
        steps.MountedWith.Manifest.Datacenters["dc1"].Vms["vm"].Disks.Should().ContainSingle();
        steps.Connected!.Host.Authority.Should().Be("[::1]:8443");
        steps.Connected.MaxRequests.Should().Be(2);
        steps.Connected.Strict.Should().BeTrue();
        steps.Served.Should().BeTrue();
        steps.Mount!.Unmounted.Should().BeTrue();
        _stderr.ToString().Should().BeEmpty();
    }

    [Fact]
    public async Task A_failure_after_mount_reports_on_all_three_channels_and_unmounts()
    {
        var steps = new StepDoubles { ConnectFailure = StepDoubles.LoginRefused() };
        var (reader, fd) = NewPipe();
        using (reader)
        {
            var exit = await Run(steps, null, "--ready-fd", fd.ToString(System.Globalization.CultureInfo.InvariantCulture), "h", Manifest, MountDir);
            exit.Should().Be(255);
            new StreamReader(reader).ReadToEnd().Should().Be("ERROR: failed to connect to ESXi host h: login refused by the ESXi host: incorrect user name or password (http error code 401)\n");
        }

        _stderr.ToString().Should().Be("Error: failed to connect to ESXi host h\n");
        NextSyslogMessage().Should().Be(
            "Error: failed to connect to ESXi host h\n login refused by the ESXi host: incorrect user name or password (http error code 401)");
        steps.Mount!.Unmounted.Should().BeTrue();
        steps.Served.Should().BeFalse();
    }

    [Fact]
    public async Task When_stderr_is_the_ready_pipe_only_the_ready_line_is_written()
    {
        var (reader, fd) = NewPipe();
        var stderrFd = FreeDescriptor.Dup(fd);
        using (reader)
        {
            var exit = await Run(new StepDoubles(), [stderrFd], "--ready-fd", fd.ToString(System.Globalization.CultureInfo.InvariantCulture), "h", Path.Combine(_dir, "none.json"), MountDir);
            exit.Should().Be(255);
            LibC.Close(stderrFd);
            new StreamReader(reader).ReadToEnd().Should().Be($"ERROR: failed to read manifest \"{_dir}/none.json\": No such file or directory (os error 2)\n");
        }

        _stderr.ToString().Should().BeEmpty();
    }

    [Theory]
    [InlineData("{", "manifest.json: line 1, column 2: malformed JSON at $")]
    [InlineData("[]", "manifest.json: line 1, column 1: $ must be an object, found an array")]
    [InlineData("""{"dc":{"vms":{"v":{"disks":[]}}}}""", "manifest.json: line 1, column 19: $.dc.vms.v.config is missing")]
    [InlineData("", "manifest.json: the manifest is empty")]
    public async Task Manifest_problems_are_early_errors_naming_the_file(string content, string cause)
    {
        File.WriteAllText(Manifest, content);
        (await Run(new StepDoubles(), null, "h", Manifest, MountDir)).Should().Be(255);
        _stderr.ToString().Should().Be($"Error: failed to parse manifest \"{Manifest}\"\n");
        NextSyslogMessage().Replace("\n ", ": ", StringComparison.Ordinal).Should().Be($"Error: failed to parse manifest \"{Manifest}\": {cause}");
    }

    [Theory]
    [InlineData(new[] { "--change-user", "no-such-user-x" }, "no such user 'no-such-user-x'")]
    [InlineData(new[] { "--change-group", "no-such-group-x" }, "no such group 'no-such-group-x'")]
    [InlineData(new[] { "-o", "allow_other,bogus" }, "unknown mount option 'bogus'")]
    [InlineData(new[] { "-o", "rw" }, "mount option 'rw' is not supported, the file system is read-only")]
    [InlineData(new[] { "-o", "fsname" }, "mount option 'fsname' needs a value")]
    [InlineData(new[] { "-o", "ro=1" }, "mount option 'ro' takes no value")]
    public async Task Account_and_option_problems_are_early_errors_that_name_the_cause(string[] extra, string cause)
    {
        (await Run(new StepDoubles(), null, [.. extra, "h", Manifest, MountDir])).Should().Be(255);
        _stderr.ToString().Should().Be($"Error: {cause}\n", "the stderr line names the cause, as upstream's does");
        NextSyslogMessage().Should().Be($"Error: {cause}");
    }

    [Fact]
    public async Task Mount_path_problems_name_the_path()
    {
        var file = Path.Combine(_dir, "file");
        File.WriteAllText(file, "x");
        (await Run(new StepDoubles(), null, "h", Manifest, file)).Should().Be(255);
        NextSyslogMessage().Should().Be($"Error: failed to mount fuse file system at \"{file}\"\n the mount path is not a directory");
        var missing = Path.Combine(_dir, "missing\ndir");
        (await Run(new StepDoubles(), null, "h", Manifest, missing)).Should().Be(255);
        NextSyslogMessage().Should().Be($"Error: failed to mount fuse file system at \"{_dir}/missing\\ndir\"\n the mount path does not exist");
    }

    [Fact]
    public async Task Numbers_are_taken_as_ids_and_names_are_looked_up()
    {
        AccountResolver.ResolveUser("root").Should().Be(0);
        AccountResolver.ResolveUser("4242").Should().Be(4242);
        AccountResolver.ResolveGroup("root").Should().Be(0);
        (await Run(new StepDoubles(), null, "--change-user", "0", "--change-group", "root", "h", Manifest, MountDir)).Should().Be(0);
    }

    [Fact]
    public async Task Argument_errors_print_error_and_usage_and_exit_1()
    {
        (await Run(new StepDoubles(), null, "h")).Should().Be(1);
        _stderr.ToString().Should().StartWith("error: missing manifest path\nusage: esxi-folder-fuse [options]");
        (await Run(new StepDoubles(), null, "--help")).Should().Be(0);
        _stdout.ToString().Should().StartWith("usage: esxi-folder-fuse ");
        (await Run(new StepDoubles(), null, "--version")).Should().Be(0);
        _stdout.ToString().Should().MatchRegex(@"\n\d+\.\d+\.\d+.*\n$");
    }

    [Fact]
    public void Detaching_where_nothing_is_mounted_is_fine()
    {
        MountPathPreparation.DetachStale(MountDir, "fuse.esxi-folder-fuse");
        MountPathPreparation.DetachStale(Path.Combine(_dir, "nothing-here"), "fuse.esxi-folder-fuse");
    }
    [Fact]
    public async Task Debug_logs_to_stderr_until_ready_and_never_shows_the_password()
    {
        var exit = await Run(new StepDoubles(), null, "--debug", "--user", "root", "--password", "hunter2", "h", Manifest, MountDir);
        exit.Should().Be(0);
        var stderr = _stderr.ToString();
        stderr.Should().Contain("Debug] manifest").And.Contain("Debug] connecting to \"h\" as \"root\"");
        stderr.Should().NotContain("hunter2").And.NotContain("esxi fuse mount ready", "stderr logging stops at ready");
        var records = new List<string>();
        while (_syslog.Available > 0)
        {
            records.Add(NextSyslogMessage());
        }

        records.Should().Contain("esxi fuse mount ready").And.NotContain(r => r.Contains("hunter2"));
    }

    [Fact]
    public async Task A_failing_unmount_is_logged_as_a_warning()
    {
        var steps = new StepDoubles { ConnectFailure = StepDoubles.LoginRefused(), UnmountFailure = new IOException("device busy") };
        (await Run(steps, null, "h", Manifest, MountDir)).Should().Be(255);
        NextSyslogMessage().Should().Be($"failed to unmount \"{MountDir}\": device busy");
        NextSyslogMessage().Should().StartWith("Error: ");
    }
    [Fact]
    public async Task Sigterm_after_ready_stops_serving_and_leaves_the_mount_to_the_caller_as_upstream()
    {
        var started = new TaskCompletionSource();
        var steps = new StepDoubles { ServeUntilStopped = started };
        var tool = new MountTool(steps.Steps, new ToolEnvironment(_stdout, _stderr, Path.Combine(_dir, "log"), [], OwnsProcess: true));
        var run = tool.RunAsync("esxi-folder-fuse", ["h", Manifest, MountDir]);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Signals.Kill(Environment.ProcessId, 15).Should().Be(0);
        (await run.WaitAsync(TimeSpan.FromSeconds(30))).Should().Be(0);
        steps.Mount!.LeftMounted.Should().BeTrue();
        steps.Mount.Unmounted.Should().BeFalse();
        NextSyslogMessage().Should().Be("esxi fuse mount ready");
        NextSyslogMessage().Should().Be($"received SIGTERM, leaving the mount at \"{MountDir}\" for the caller to unmount");
    }

    private (Task<int> Run, StepDoubles Steps) StartOwningTheProcess(StepDoubles steps, params string[] args) =>
        (Task.Run(() => new MountTool(steps.Steps, new ToolEnvironment(_stdout, _stderr, Path.Combine(_dir, "log"), [], OwnsProcess: true)).RunAsync("esxi-folder-fuse", args)), steps);

    [Fact]
    public async Task Sigterm_while_connecting_unmounts_and_reports_the_interruption_on_every_channel()
    {
        var connecting = new TaskCompletionSource();
        var (reader, fd) = NewPipe();
        using (reader)
        {
            var (run, steps) = StartOwningTheProcess(new StepDoubles { ConnectUntilCancelled = connecting }, "--ready-fd", fd.ToString(System.Globalization.CultureInfo.InvariantCulture), "h", Manifest, MountDir);
            await connecting.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Signals.Kill(Environment.ProcessId, 15).Should().Be(0);
            (await run.WaitAsync(TimeSpan.FromSeconds(30))).Should().Be(255);
            steps.Mount!.Unmounted.Should().BeTrue();
            steps.Served.Should().BeFalse();
            new StreamReader(reader).ReadToEnd().Should().Be(
                $"ERROR: interrupted by SIGTERM before the mount was ready: the mount at \"{MountDir}\" is undone; ESXi host h was not ready yet\n");
        }

        _stderr.ToString().Should().Be("Error: interrupted by SIGTERM before the mount was ready\n");
        NextSyslogMessage().Should().Be($"Error: interrupted by SIGTERM before the mount was ready\n the mount at \"{MountDir}\" is undone; ESXi host h was not ready yet");
    }

    [Fact]
    public async Task Sigint_while_waiting_for_the_manifest_ends_before_anything_is_mounted()
    {
        var fifo = Path.Combine(_dir, "manifest.fifo");
        using (var mk = System.Diagnostics.Process.Start("mkfifo", [fifo]))
        {
            await mk.WaitForExitAsync();
        }

        var (run, steps) = StartOwningTheProcess(new StepDoubles(), "h", fifo, MountDir);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!Directory.EnumerateFileSystemEntries("/proc/self/fd").Any(f => new FileInfo(f).LinkTarget == fifo))
        {
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "the tool opens the manifest");
            await Task.Delay(10);
        }

        Signals.Kill(Environment.ProcessId, 2).Should().Be(0);
        (await run.WaitAsync(TimeSpan.FromSeconds(30))).Should().Be(255);
        steps.MountedWith.Should().BeNull();
        _stderr.ToString().Should().Be("Error: interrupted by SIGINT before the mount was ready\n");
        NextSyslogMessage().Should().Be("Error: interrupted by SIGINT before the mount was ready\n nothing was mounted yet");
    }

    [Fact]
    public async Task Sighup_after_ready_unmounts_and_exits_0_as_at_a_terminal()
    {
        var started = new TaskCompletionSource();
        var (run, steps) = StartOwningTheProcess(new StepDoubles { ServeUntilStopped = started }, "h", Manifest, MountDir);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Signals.Kill(Environment.ProcessId, 1).Should().Be(0);
        (await run.WaitAsync(TimeSpan.FromSeconds(30))).Should().Be(0);
        steps.Mount!.Unmounted.Should().BeTrue();
        NextSyslogMessage().Should().Be("esxi fuse mount ready");
        NextSyslogMessage().Should().Be($"received SIGHUP, unmounting \"{MountDir}\"");
    }

    [Fact]
    public async Task Keys_given_twice_in_the_manifest_are_warnings_on_stderr_and_in_syslog()
    {
        File.WriteAllText(Manifest, """{"dc1":{"datastores":{"ds1":"/vmfs/volumes/1/","ds1":"/vmfs/volumes/2/"},"vms":{}}}""");
        (await Run(new StepDoubles(), null, "h", Manifest, MountDir)).Should().Be(0);
        const string warning = "manifest.json: line 1, column 48: $.dc1.datastores.ds1 is given twice; the later value is used";
        _stderr.ToString().Should().Be(warning + "\n");
        NextSyslogMessage().Should().Be(warning);
    }

    [Fact]
    public async Task Change_user_without_change_group_takes_the_users_primary_group()
    {
        var steps = new StepDoubles();
        (await Run(steps, null, "--change-user", "0", "h", Manifest, MountDir)).Should().Be(0);
        steps.MountedWith!.UserId.Should().Be(0);
        steps.MountedWith.GroupId.Should().Be(0, "root's primary group");
        NextSyslogMessage().Should().Be("esxi fuse mount ready");
        (await Run(new StepDoubles(), null, "--change-user", "4242", "h", Manifest, MountDir)).Should().Be(255);
        NextSyslogMessage().Should().Be("Error: user 4242 has no entry in the user database to take a primary group from; give --change-group");
    }
}
