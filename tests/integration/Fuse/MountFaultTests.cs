using System.Diagnostics;

using EsxiImport.Fuse.Connection;
using EsxiImport.FuseTestHost;
using EsxiImport.IntegrationTests.Support;

namespace EsxiImport.IntegrationTests.Fuse;

/// <summary>Failures, interrupts, unmount under load and a daemon that dies with its mount up.</summary>
[Collection("fuse mounts")]
public sealed class MountFaultTests
{
    [Fact]
    public async Task A_handler_that_throws_gives_the_reader_eio_and_a_log_line()
    {
        await using var m = await GeneratedMount.CreateAsync();
        var result = await m.Processes.RunAsync("cat", [m.PathOf("faults/throws.bin")]);
        result.ExitCode.Should().NotBe(0);
        result.Stderr.Should().Contain("Input/output error");
        m.Errors.Should().Contain(e => e.Contains("READ", StringComparison.Ordinal) && e.Contains("generated failure of throws.bin", StringComparison.Ordinal));

        var timeout = await m.Processes.RunAsync("cat", [m.PathOf("faults/timeout.bin")]);
        timeout.Stderr.Should().Contain("Input/output error");
        m.Errors.Should().Contain(e => e.Contains("generated timeout", StringComparison.Ordinal) || e.Contains("timeout.bin", StringComparison.Ordinal));

        // A file system that ends before the size it reported gets EIO, never a short read.
        var early = await m.Processes.RunAsync("dd", [$"if={m.PathOf("faults/ends-early.bin")}", "bs=1M", "status=none"]);
        early.Stderr.Should().Contain("Input/output error");
        early.Stdout.Length.Should().BeLessThanOrEqualTo(512 * 1024);
    }

    [Fact]
    public async Task Killing_a_reader_blocked_in_a_hanging_read_interrupts_the_handler()
    {
        await using var m = await GeneratedMount.CreateAsync();
        var started = new TaskCompletionSource();
        m.FileSystem.ReadStarted += _ => started.TrySetResult();
        var reader = m.Processes.Start("dd", $"if={m.PathOf("faults/hangs.bin")}", "of=/dev/null", "bs=64k", "count=1");
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var killedAt = Stopwatch.StartNew();
        reader.Kill();
        (await ProcessWait.ExitedWithinAsync(reader, TimeSpan.FromSeconds(5))).Should().BeTrue("SIGKILL must end a reader once its READ is interrupted");
        killedAt.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        await MountBasicsTests.WaitFor(() => m.FileSystem.CancelledReads == 1);
        await MountBasicsTests.WaitFor(() => m.Handle.Server.InFlightCount == 0);
        m.Errors.Should().BeEmpty("an interrupted read is not a failure");
    }

    [Fact]
    public async Task Unmounting_while_a_read_is_in_flight_detaches_at_once_and_lets_the_read_finish()
    {
        var fs = new GeneratedFileSystem { SlowReadDelay = TimeSpan.FromSeconds(1.5) };
        await using var m = await GeneratedMount.CreateAsync(fs);
        var started = new TaskCompletionSource();
        fs.ReadStarted += _ => started.TrySetResult();
        var slow = fs.Find("faults/slow.bin");
        var readTask = m.Processes.RunAsync("dd", [$"if={m.PathOf("faults/slow.bin")}", "bs=128k", "count=1", "status=none"]);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var unmount = m.Handle.UnmountAsync(TimeSpan.FromSeconds(10));
        await MountBasicsTests.WaitFor(() => MountTable.Find(m.MountPoint) is null);
        var read = await readTask;
        read.ExitCode.Should().Be(0, read.Stderr);
        read.Stdout.Should().Equal(Pattern.Bytes(0, 128 * 1024, slow.Seed));
        (await unmount).Should().BeTrue("the session ended on its own once the reader closed the file");
        (await m.Handle.Completion).Should().Be(ServerEnd.Unmounted);
    }

    [Fact]
    public async Task A_handler_that_never_answers_is_cancelled_when_the_unmount_time_is_up()
    {
        await using var m = await GeneratedMount.CreateAsync();
        var started = new TaskCompletionSource();
        m.FileSystem.ReadStarted += _ => started.TrySetResult();
        var reader = m.Processes.Start("dd", $"if={m.PathOf("faults/hangs.bin")}", "of=/dev/null", "bs=64k", "count=1");
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var clean = await m.Handle.UnmountAsync(TimeSpan.FromSeconds(1));
        clean.Should().BeFalse("the reader still held the file when the time was up");
        await MountBasicsTests.WaitFor(() => m.FileSystem.CancelledReads == 1);
        (await ProcessWait.ExitedWithinAsync(reader, TimeSpan.FromSeconds(5))).Should().BeTrue("the reader gets an error once the connection is gone");
        reader.ExitCode.Should().NotBe(0);
        MountTable.Find(m.MountPoint).Should().BeNull();
    }

    [Fact]
    public async Task A_daemon_killed_with_its_mount_up_leaves_a_stale_mount_that_the_next_mount_detaches()
    {
        var dir = Directory.CreateTempSubdirectory("esxi-fuse-it-").FullName;
        var mnt = Path.Combine(dir, "mnt");
        Directory.CreateDirectory(mnt);
        using var processes = new ProcessRunner();
        try
        {
            var host = typeof(GeneratedFileSystem).Assembly.Location;
            var daemon = processes.Start("dotnet", host, mnt, "--size", "1048576");
            var ready = await daemon.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            ready.Should().StartWith("ready ");
            var ok = await processes.RunAsync("cat", [Path.Combine(mnt, "vm/small.txt")]);
            ok.Stdout.Should().Equal(Pattern.Bytes(0, 10_000, 11));

            daemon.Kill();
            (await ProcessWait.ExitedWithinAsync(daemon, TimeSpan.FromSeconds(10))).Should().BeTrue();
            var stale = await processes.RunAsync("stat", [mnt]);
            stale.ExitCode.Should().NotBe(0);
            stale.Stderr.Should().Contain("Transport endpoint is not connected");

            await using var again = await GeneratedMount.CreateAsync(directory: dir);
            var read = await again.Processes.RunAsync("cat", [again.PathOf("vm/small.txt")]);
            read.Stdout.Should().Equal(Pattern.Bytes(0, 10_000, 11));
            File.ReadAllLines("/proc/self/mounts").Count(l => l.Split(' ')[1] == mnt).Should().Be(1, "the stale mount was detached, not stacked under");
        }
        finally
        {
            processes.Dispose();
            StaleMount.Detach(mnt);
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, true);
            }
        }
    }

    [Fact]
    public async Task Sigterm_makes_the_host_unmount_and_exit_cleanly()
    {
        var dir = Directory.CreateTempSubdirectory("esxi-fuse-it-").FullName;
        var mnt = Path.Combine(dir, "mnt");
        Directory.CreateDirectory(mnt);
        using var processes = new ProcessRunner();
        try
        {
            var daemon = processes.Start("dotnet", typeof(GeneratedFileSystem).Assembly.Location, mnt, "--size", "1048576");
            (await daemon.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30))).Should().StartWith("ready ");
            var kill = await processes.RunAsync("kill", ["-TERM", daemon.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.ExitCode.Should().Be(0);
            (await ProcessWait.ExitedWithinAsync(daemon, TimeSpan.FromSeconds(10))).Should().BeTrue();
            daemon.ExitCode.Should().Be(0);
            (await daemon.StandardOutput.ReadToEndAsync()).Should().Contain("unmounted");
            MountTable.Find(mnt).Should().BeNull();
        }
        finally
        {
            processes.Dispose();
            StaleMount.Detach(mnt);
            Directory.Delete(dir, true);
        }
    }
}
