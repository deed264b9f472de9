namespace EsxiImport.IntegrationTests.Mount;

/// <summary>Readers on their own threads, each at seeded random offsets and lengths, comparing every byte.</summary>
public static class ParallelReaders
{
    public static async Task RunAsync(string path, byte[] expected, int readers, int readsEach, TimeSpan bound)
    {
        var tasks = Enumerable.Range(0, readers).Select(seed => Task.Run(() =>
        {
            var random = new Random(seed);
            using var handle = File.OpenHandle(path);
            var buffer = new byte[256 << 10];
            for (var i = 0; i < readsEach; i++)
            {
                var offset = random.NextInt64(expected.Length);
                var length = random.Next(1, buffer.Length);
                var want = (int)Math.Min(length, expected.Length - offset);
                var filled = 0;
                while (filled < want)
                {
                    var n = RandomAccess.Read(handle, buffer.AsSpan(filled, want - filled), offset + filled);
                    n.Should().BePositive("the file does not end before its size");
                    filled += n;
                }

                buffer.AsSpan(0, want).SequenceEqual(expected.AsSpan((int)offset, want)).Should().BeTrue($"reader {seed} at {offset}+{want}");
            }
        })).ToArray();
        var all = Task.WhenAll(tasks);
        (await Task.WhenAny(all, Task.Delay(bound))).Should().Be(all, "readers must not hang");
        await all;
    }
}
