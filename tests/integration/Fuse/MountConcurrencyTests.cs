using EsxiImport.Fuse.FileSystem;
using EsxiImport.FuseTestHost;

namespace EsxiImport.IntegrationTests.Fuse;

/// <summary>Eight readers at random offsets at once, through the page cache and with direct I/O.</summary>
[Collection("fuse mounts")]
public sealed class MountConcurrencyTests
{
    [Theory]
    [InlineData(FsCacheMode.KeepCache)]
    [InlineData(FsCacheMode.PageCache)]
    [InlineData(FsCacheMode.DirectIo)]
    public async Task Eight_parallel_readers_at_random_offsets_read_the_right_bytes(FsCacheMode mode)
    {
        const long size = 32 * 1024 * 1024;
        await using var m = await GeneratedMount.CreateAsync(new GeneratedFileSystem(size, mode));
        var path = m.PathOf("vm/disk-flat.vmdk");
        var failures = new List<string>();

        // Dedicated threads: blocking reads on pool threads would compete with the handlers they wait for.
        var threads = Enumerable.Range(0, 8).Select(reader => new Thread(() =>
        {
            var random = new Random(reader * 7919);
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            for (var i = 0; i < 40; i++)
            {
                var offset = random.NextInt64(0, size);
                var length = (int)Math.Min(random.Next(1, 3 << 20), size - offset);
                var buffer = new byte[length];
                var got = 0;
                while (got < length)
                {
                    var n = RandomAccess.Read(handle, buffer.AsSpan(got), offset + got);
                    if (n == 0)
                    {
                        break;
                    }

                    got += n;
                }

                if (got != length || !buffer.AsSpan().SequenceEqual(Pattern.Bytes(offset, length, 7)))
                {
                    lock (failures)
                    {
                        failures.Add($"reader {reader}: {length} bytes at {offset} (got {got})");
                    }
                }
            }
        })
        { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());
        foreach (var t in threads)
        {
            t.Join(TimeSpan.FromSeconds(60)).Should().BeTrue("a reader hung");
        }

        failures.Should().BeEmpty();
        m.Errors.Should().BeEmpty();

        // RELEASE follows close() asynchronously.
        await MountBasicsTests.WaitFor(() => m.FileSystem.OpenFiles == 0);
    }
}
