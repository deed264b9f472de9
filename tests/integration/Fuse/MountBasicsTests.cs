using EsxiImport.Fuse.Connection;
using EsxiImport.FuseTestHost;

namespace EsxiImport.IntegrationTests.Fuse;

/// <summary>Real kernel mounts read with the everyday tools: ls, stat, find, cat, dd, cmp, df.</summary>
[Collection("fuse mounts")]
public sealed class MountBasicsTests
{
    private const long DiskSize = 8 * 1024 * 1024;
    private const int DiskSeed = 7;

    [Fact]
    public async Task Mount_shows_the_subtype_and_read_only_flags()
    {
        await using var m = await GeneratedMount.CreateAsync();
        var line = File.ReadAllLines("/proc/self/mounts").Single(l => l.Split(' ')[1] == m.MountPoint);
        line.Should().StartWith("esxi-folder-fuse " + m.MountPoint + " fuse.esxi-folder-fuse ro,nosuid,nodev");
        m.Handle.Device.Should().MatchRegex("^0:[0-9]+$");
        File.ReadAllText(FuseMount.ReadAheadPath(m.Handle.Device!)).Trim().Should().Be("16384");
        m.Handle.Connection!.Minor.Should().BeInRange(12, 38);
    }

    [Fact]
    public async Task Ls_stat_and_find_see_the_generated_tree()
    {
        await using var m = await GeneratedMount.CreateAsync();
        var ls = await m.Processes.RunAsync("ls", ["-l", "--time-style=+%Y-%m-%d", m.PathOf("vm")]);
        ls.ExitCode.Should().Be(0, ls.Stderr);
        ls.StdoutText.Should().MatchRegex($"-r--r--r-- 1 root root +{DiskSize} 2024-05-01 disk-flat.vmdk")
            .And.MatchRegex("-r--r--r-- 1 root root +10000 2024-05-01 small.txt")
            .And.MatchRegex("-r--r--r-- 1 root root +0 2024-05-01 empty.bin");

        var stat = await m.Processes.RunAsync("stat", ["-c", "%s %a %F %o %h", m.PathOf("vm/disk-flat.vmdk"), m.PathOf("vm")]);
        stat.StdoutText.Should().Be($"{DiskSize} 444 regular file 131072 1\n0 555 directory 131072 2\n");

        var find = await m.Processes.RunAsync("find", [m.MountPoint, "-type", "f"]);
        find.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(3 + 300 + 6);

        var many = await m.Processes.RunAsync("ls", ["-a", m.PathOf("many")]);
        var names = many.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        names.Should().HaveCount(302).And.Contain([".", "..", "file-000-with-a-longer-name.bin", "file-299-with-a-longer-name.bin"]);
        m.Errors.Should().BeEmpty();
    }

    [Fact]
    public async Task Cat_dd_and_cmp_read_the_expected_bytes()
    {
        await using var m = await GeneratedMount.CreateAsync();
        var expected = Path.Combine(m.Directory, "expected.bin");
        await File.WriteAllBytesAsync(expected, Pattern.Bytes(0, (int)DiskSize, DiskSeed));

        var cat = await m.Processes.RunAsync("cat", [m.PathOf("vm/small.txt")]);
        cat.Stdout.Should().Equal(Pattern.Bytes(0, 10_000, 11));

        var cmp = await m.Processes.RunAsync("cmp", [m.PathOf("vm/disk-flat.vmdk"), expected]);
        cmp.ExitCode.Should().Be(0, cmp.StdoutText + cmp.Stderr);

        var dd = await m.Processes.RunAsync("dd", [$"if={m.PathOf("vm/disk-flat.vmdk")}", "bs=1M", "skip=3", "count=2", "status=none"]);
        dd.Stdout.Should().Equal(Pattern.Bytes(3 << 20, 2 << 20, DiskSeed));

        var odd = await m.Processes.RunAsync("dd", [$"if={m.PathOf("vm/disk-flat.vmdk")}", "iflag=skip_bytes,count_bytes", "skip=1234567", "count=777777", "bs=65536", "status=none"]);
        odd.Stdout.Should().Equal(Pattern.Bytes(1234567, 777777, DiskSeed));

        var tail = await m.Processes.RunAsync("tail", ["-c", "100", m.PathOf("vm/disk-flat.vmdk")]);
        tail.Stdout.Should().Equal(Pattern.Bytes(DiskSize - 100, 100, DiskSeed));

        var empty = await m.Processes.RunAsync("cat", [m.PathOf("vm/empty.bin")]);
        empty.Stdout.Should().BeEmpty();
        empty.ExitCode.Should().Be(0);
        m.Errors.Should().BeEmpty();
    }

    [Fact]
    public async Task A_file_system_returning_short_reads_is_asked_again_until_the_range_is_full()
    {
        await using var m = await GeneratedMount.CreateAsync();
        var dribble = m.FileSystem.Find("faults/dribble.bin");
        var cat = await m.Processes.RunAsync("cat", [m.PathOf("faults/dribble.bin")]);
        cat.Stdout.Should().Equal(Pattern.Bytes(0, (int)dribble.Attributes.Size, dribble.Seed));
        m.FileSystem.ReadCalls.Should().BeGreaterThan((int)(dribble.Attributes.Size / 1000));
    }

    [Fact]
    public async Task Writes_are_refused_with_erofs()
    {
        await using var m = await GeneratedMount.CreateAsync();
        foreach (var script in new[] { $"touch {m.PathOf("vm/new")}", $"mkdir {m.PathOf("vm/d")}", $"echo x >> {m.PathOf("vm/small.txt")}", $"rm {m.PathOf("vm/small.txt")}", $"touch {m.PathOf("vm/small.txt")}" })
        {
            var result = await m.Processes.ShellAsync(script);
            result.ExitCode.Should().NotBe(0, script);
            result.Stderr.Should().Contain("Read-only file system", script);
        }
    }

    [Fact]
    public async Task Df_shows_the_statfs_figures()
    {
        await using var m = await GeneratedMount.CreateAsync();
        var df = await m.Processes.RunAsync("df", ["-B4096", "--output=source,size,fstype", m.MountPoint]);
        df.StdoutText.Should().Contain("esxi-folder-fuse").And.Contain("1000").And.Contain("fuse.esxi-folder-fuse");
    }

    [Fact]
    public async Task Inode_numbers_stay_the_same_after_the_kernel_forgets_them()
    {
        await using var m = await GeneratedMount.CreateAsync();
        var before = await m.Processes.RunAsync("stat", ["-c", "%i", m.PathOf("vm/small.txt"), m.PathOf("many/file-007-with-a-longer-name.bin")]);
        var live = m.Adapter.Inodes.LiveCount;
        await File.WriteAllTextAsync("/proc/sys/vm/drop_caches", "2");
        await WaitFor(() => m.Adapter.Inodes.LiveCount < live);

        var after = await m.Processes.RunAsync("stat", ["-c", "%i", m.PathOf("vm/small.txt"), m.PathOf("many/file-007-with-a-longer-name.bin")]);
        after.StdoutText.Should().Be(before.StdoutText);
    }

    [Fact]
    public async Task Mounting_through_fusermount3_passes_the_descriptor_back_and_unmounts_with_it()
    {
        await using var m = await GeneratedMount.CreateAsync(options: new FuseMountOptions { UseFusermount = true, AllowOther = true });
        var line = File.ReadAllLines("/proc/self/mounts").Single(l => l.Split(' ')[1] == m.MountPoint);
        line.Should().StartWith("esxi-folder-fuse " + m.MountPoint + " fuse.esxi-folder-fuse ro,nosuid,nodev");
        var cat = await m.Processes.RunAsync("cat", [m.PathOf("vm/small.txt")]);
        cat.Stdout.Should().Equal(Pattern.Bytes(0, 10_000, 11));

        (await m.Handle.UnmountAsync(TimeSpan.FromSeconds(5))).Should().BeTrue();
        MountTable.Find(m.MountPoint).Should().BeNull();
    }

    [Fact]
    public async Task Detaching_a_directory_that_is_not_a_mount_point_reports_nothing_to_do()
    {
        var dir = Directory.CreateTempSubdirectory("esxi-fuse-it-").FullName;
        try
        {
            StaleMount.Detach(dir).Should().BeFalse();
            StaleMount.Detach(Path.Combine(dir, "missing")).Should().BeFalse();
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    internal static async Task WaitFor(Func<bool> condition, int timeoutMs = 5000)
    {
        var start = Environment.TickCount64;
        while (!condition())
        {
            if (Environment.TickCount64 - start > timeoutMs)
            {
                throw new TimeoutException("condition not met in time");
            }

            await Task.Delay(20);
        }
    }
}
