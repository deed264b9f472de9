namespace EsxiImport.IntegrationTests.Mount;

/// <summary>
/// The upstream cache options shrink the daemon's cache to a few pages and the host to two
/// requests at a time: pages are evicted and fetched again all the time, and every byte must
/// still be right.
/// </summary>
[Collection("fuse mounts")]
public sealed class SmallCacheTests
{
    [Fact]
    public async Task Four_64_KiB_pages_and_two_requests_serve_parallel_readers_and_qemu_img()
    {
        await using var m = await ToolMount.StartAsync(options: new ToolMountOptions
        {
            ExtraArguments = ["--cache-page-size", "65536", "--cache-page-count", "4", "--max-requests", "2"],
        });
        var expected = m.Expected(MountScenarios.DiskDatastore, MountScenarios.DiskFlat);
        await ParallelReaders.RunAsync(
            m.PathOf(MountScenarios.DiskDatastore, MountScenarios.DiskFlat), expected, readers: 8, readsEach: 20, TimeSpan.FromSeconds(60));

        var raw = Path.Combine(m.Directory, "alpha.raw");
        var convert = await Shell.RunAsync(
            "echo 1 > /proc/sys/vm/drop_caches && qemu-img convert -f vmdk -O raw \"$1\" \"$2\"", m.PathOf(MountScenarios.DiskDatastore, MountScenarios.DiskDescriptor), raw);
        convert.ExitCode.Should().Be(0, convert.Stderr);
        Shell.Sha256(await File.ReadAllBytesAsync(raw)).Should().Be(Shell.Sha256(expected));
        File.Delete(raw);
    }
}
