using System.Diagnostics;
using System.Globalization;

namespace EsxiImport.IntegrationTests.Mount;

/// <summary>
/// What the host answers and how long it takes, through the kernel: a storm of lookups of a
/// missing name costs the host one HEAD per remembered period; throttling is waited out with
/// upstream's warnings; a trickling host ends in EIO within the bound; files whose type is not
/// application/octet-stream (as vcsim serves them) read like any other, and so do answers sent
/// chunked without a length.
/// </summary>
[Collection("fuse mounts")]
public sealed class HostAnswersTests
{
    private static string Spare(ToolMount m) => m.PathOf(MountScenarios.SpareDatastore, MountScenarios.SpareFile);

    private static IReadOnlyDictionary<string, string> Env(params (string Name, string Value)[] extra)
    {
        var env = new Dictionary<string, string>(ToolMount.FastHttp);
        foreach (var (name, value) in extra)
        {
            env[name] = value;
        }

        return env;
    }

    [Fact]
    public async Task A_stat_storm_of_one_missing_name_costs_one_HEAD_per_period_but_a_500_is_asked_every_time()
    {
        await using var m = await ToolMount.StartAsync(options: new ToolMountOptions { Environment = ToolMount.FastHttp });
        var missing = m.Host.Faults.Add("folder:HEAD:alpha/nosuch:always:delay:0");
        var clock = Stopwatch.StartNew();

        var storm = await Shell.RunAsync("i=0; while [ $i -lt 300 ]; do stat \"$1\" >/dev/null 2>&1; i=$((i+1)); done", m.PathOf(MountScenarios.DiskDatastore, "alpha/nosuch"));

        storm.ExitCode.Should().Be(0);
        var periods = 1 + (int)(clock.Elapsed.TotalSeconds / 5);
        Console.WriteLine($"300 stats of one missing name in {clock.Elapsed.TotalSeconds:0.0} s: {missing.Matched} HEADs");
        missing.Matched.Should().BeInRange(1, periods, "a 404 is remembered for 5 s, by the kernel and by the tool");

        var attempts = int.Parse(ToolMount.FastHttp["ESXI_FUSE_MAX_ATTEMPTS"], CultureInfo.InvariantCulture);
        var failing = m.Host.Faults.Add("folder:HEAD:alpha/flaky:always:status:500");
        for (var i = 0; i < 3; i++)
        {
            (await Shell.RunAsync("stat \"$1\"", m.PathOf(MountScenarios.DiskDatastore, "alpha/flaky"))).Stderr.Should().Contain("Input/output error");
        }

        failing.Matched.Should().Be(3 * attempts, "a server error is never remembered as a missing name");
    }

    [Fact]
    public async Task Throttling_is_waited_out_and_logged_with_upstreams_numbering()
    {
        await using var m = await ToolMount.StartAsync(options: new ToolMountOptions
        {
            Environment = Env(("ESXI_FUSE_MAX_ATTEMPTS", "5"), ("ESXI_FUSE_RATE_LIMIT_DELAY_MS", "300")),
            FaultRules = [$"folder:GET:{MountScenarios.SpareFile}:first:4:status:503"],
        });
        var clock = Stopwatch.StartNew();

        var read = await Shell.RunAsync("head -c 4096 \"$1\" | sha256sum", Spare(m));

        read.ExitCode.Should().Be(0, read.Stderr);
        read.StdoutText.Split(' ')[0].Should().Be(Shell.Sha256(m.Expected(MountScenarios.SpareDatastore, MountScenarios.SpareFile)[..4096]));
        clock.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(1200), "four waits of the rate-limit delay");
        await m.WaitForSyslogAsync(r => r.Contains("(4 of 5)", StringComparison.Ordinal), TimeSpan.FromSeconds(5));
        m.SyslogRecords.Where(r => r.StartsWith("rate limited", StringComparison.Ordinal)).Should()
            .Equal(Enumerable.Range(1, 4).Select(n => $"rate limited, retrying ({n} of 5)..."));
    }

    [Fact]
    public async Task A_trickling_host_gives_EIO_within_a_few_speed_periods()
    {
        await using var m = await ToolMount.StartAsync(options: new ToolMountOptions
        {
            Environment = Env(("ESXI_FUSE_REQUEST_TIMEOUT_MS", "30000"), ("ESXI_FUSE_SPEED_TIME_MS", "1000")),
            FaultRules = [$"folder:GET:{MountScenarios.SpareFile}:always:trickle:1"],
        });
        var clock = Stopwatch.StartNew();

        var read = await Shell.RunAsync("cat \"$1\" > /dev/null", Spare(m));

        Console.WriteLine($"time to EIO against a host trickling 1 byte/s (speed period 1 s): {clock.Elapsed.TotalSeconds:0.0} s");
        read.Stderr.Should().Contain("Input/output error");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(15), "two attempts of about one period, for each read the kernel asks");
        (await m.WaitForSyslogAsync(r => r.Contains("slower than the minimum", StringComparison.Ordinal), TimeSpan.FromSeconds(5)))
            .Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task With_production_limits_a_host_that_never_answers_fails_the_start_within_30_seconds()
    {
        await using var m = await ToolMount.StartEmulatorAsync(MountScenarios.Small(), new EsxiImport.Emulator.Http.EmulatorOptions { FaultRules = ["folder:*:*:always:delay:600000"] });

        var ready = await m.LaunchAsync(new ToolMountOptions { RequireReady = false });

        Console.WriteLine($"start-up against a silent host reported after {m.StartupTime.TotalSeconds:0.0} s: {ready.Trim()}");
        m.StartupTime.Should().BeLessThan(TimeSpan.FromSeconds(30));
        ready.Should().StartWith("ERROR: ").And.EndWith("the host did not answer within 10 s\n");
    }

    [Fact]
    public async Task Files_served_with_other_types_than_octet_stream_read_like_any_file()
    {
        // What vcsim sends: types by extension, text/plain for a .vmx.
        await using var m = await ToolMount.StartAsync(options: new ToolMountOptions
        {
            FaultRules =
            [
                "folder:*:*.vmx:always:content-type:text/plain; charset=utf-8",
                "folder:*:*.vmdk:always:content-type:application/x-vmdk-disk",
                "folder:*:*.iso:always:no-content-type",
            ],
        });
        foreach (var (datastore, path) in new[]
        {
            (MountScenarios.DiskDatastore, "alpha/alpha.vmx"),
            (MountScenarios.DiskDatastore, MountScenarios.DiskDescriptor),
            (MountScenarios.DiskDatastore, MountScenarios.DiskFlat),
            (MountScenarios.SpareDatastore, MountScenarios.SpareFile),
        })
        {
            File.Exists(m.PathOf(datastore, path)).Should().BeTrue(path + " is a file");
            Shell.Sha256(await File.ReadAllBytesAsync(m.PathOf(datastore, path))).Should().Be(Shell.Sha256(m.Expected(datastore, path)), path);
        }

        var info = await Shell.RunAsync("qemu-img info \"$1\"", m.PathOf(MountScenarios.DiskDatastore, MountScenarios.DiskDescriptor));
        info.ExitCode.Should().Be(0, info.Stderr);
    }

    [Fact]
    public async Task Answers_sent_chunked_without_a_length_read_right_and_a_HEAD_without_one_says_so()
    {
        await using var m = await ToolMount.StartAsync(options: new ToolMountOptions
        {
            Environment = ToolMount.FastHttp,
            FaultRules = ["folder:GET:*:always:chunked", $"folder:HEAD:{MountScenarios.SpareFile}:always:chunked"],
        });
        foreach (var path in new[] { "alpha/alpha.vmx", MountScenarios.DiskDescriptor, MountScenarios.DiskFlat })
        {
            Shell.Sha256(await File.ReadAllBytesAsync(m.PathOf(MountScenarios.DiskDatastore, path))).Should()
                .Be(Shell.Sha256(m.Expected(MountScenarios.DiskDatastore, path)), path);
        }

        // Like upstream, a file's size comes only from a HEAD's Content-Length; without one the
        // lookup fails (EIO) and syslog says what was missing.
        var stat = await Shell.RunAsync("stat \"$1\"", Spare(m));
        stat.Stderr.Should().Contain("Input/output error");
        (await m.WaitForSyslogAsync(r => r.Contains(EsxiImport.Diagnostics.Messages.Text("esxi.http.content-length-missing"), StringComparison.Ordinal), TimeSpan.FromSeconds(5)))
            .Should().NotBeNullOrEmpty();
        m.Host.RequestLog.Entries.Should().Contain(e => e.Method == "GET" && e.Subject == MountScenarios.DiskFlat && e.FaultsApplied.Count > 0, "the disk was read through chunked answers");
    }
}
