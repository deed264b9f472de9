using System.Diagnostics;

namespace EsxiImport.IntegrationTests.Mount;

/// <summary>
/// Host faults while a disk is read through the mount: a fault that passes gives the right bytes
/// after retries; a fault that persists gives EIO. Never wrong bytes, never a hang: with the fast
/// client settings (3 attempts, 1.5 s per attempt) a failing read ends well inside the bound.
/// An answer that contradicts the file's size is such a fault too: never an end of file.
/// </summary>
[Collection("fuse mounts")]
public sealed class ReadFaultTests
{
    /// <summary>Worst case for one failing page: 3 × 1.5 s attempts plus backoff, for a few pages in flight, plus slack.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    public static TheoryData<string, bool> Faults => new()
    {
        { "status:500", true },
        { "status:500", false },
        { "status:503", true },
        { "status:503", false },
        { "reset-mid-body", true },
        { "reset-mid-body", false },
        { "truncate", true },
        { "truncate", false },
        { "content-type:text/html", true },
        { "content-type:text/html", false },
        { "delay:4000", true },
        { "delay:4000", false },

        // Answers that contradict the file's size: 416 inside it, a smaller Content-Range total,
        // a 200 for a range request, a short 200.
        { "status:416", true },
        { "status:416", false },
        { "size:1000", true },
        { "size:1000", false },
        { "ignore-range", true },
        { "ignore-range", false },
        { "size:1000+ignore-range", true },
        { "size:1000+ignore-range", false },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Reads_give_the_right_bytes_or_EIO_within_the_bound(string action, bool transient)
    {
        var trigger = transient ? "first:1" : "always";
        await using var m = await ToolMount.StartAsync(options: new ToolMountOptions
        {
            Environment = ToolMount.FastHttp,
            FaultRules = [.. action.Split('+').Select(a => $"folder:GET:{MountScenarios.DiskFlat}:{trigger}:{a}")],
        });
        var expected = Shell.Sha256(m.Expected(MountScenarios.DiskDatastore, MountScenarios.DiskFlat));

        var clock = Stopwatch.StartNew();
        var read = await Shell.RunAsync("sha256sum < \"$1\"", m.PathOf(MountScenarios.DiskDatastore, MountScenarios.DiskFlat));
        clock.Elapsed.Should().BeLessThan(Bound);

        if (read.ExitCode == 0)
        {
            read.StdoutText.Split(' ')[0].Should().Be(expected, "a read that succeeds returns the host's bytes");
        }
        else
        {
            read.Stderr.Should().Contain("Input/output error");
        }

        if (transient)
        {
            read.ExitCode.Should().Be(0, "one failed attempt is retried: " + read.Stderr);
        }
        else
        {
            read.ExitCode.Should().NotBe(0, "a fault on every attempt cannot give data");
            (await m.WaitForSyslogAsync(r => r.Contains(MountScenarios.DiskFlat, StringComparison.Ordinal), TimeSpan.FromSeconds(5)))
                .Should().NotBeNullOrEmpty();
        }

        // The mount survives: another file still reads.
        var other = await File.ReadAllBytesAsync(m.PathOf(MountScenarios.DiskDatastore, "100%/100%-flat.vmdk"));
        Shell.Sha256(other).Should().Be(Shell.Sha256(m.Expected(MountScenarios.DiskDatastore, "100%/100%-flat.vmdk")));
    }

    [Fact]
    public async Task A_reader_killed_while_the_host_stalls_goes_away_at_once()
    {
        // Production timeouts: the stalled request would take a minute; the interrupt must not wait for it.
        await using var m = await ToolMount.StartAsync(options: new ToolMountOptions
        {
            FaultRules = [$"folder:GET:{MountScenarios.DiskFlat}:always:delay:30000"],
        });
        var clock = Stopwatch.StartNew();
        var read = await Shell.RunAsync("timeout -s KILL 1 cat \"$1\" > /dev/null", m.PathOf(MountScenarios.DiskDatastore, MountScenarios.DiskFlat));
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(8), "the kernel interrupts the READ and the tool answers it");
        read.ExitCode.Should().Be(137);
    }
}
