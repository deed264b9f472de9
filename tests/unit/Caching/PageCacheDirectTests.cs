using System.Buffers;

using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Caching;
using EsxiImport.EsxiFuse.Esxi;

namespace EsxiImport.UnitTests.Caching;

/// <summary>
/// A random reader's small misses are read on their own: exactly the bytes asked for, one
/// request, nothing cached; a sequential reader, a page already there and a read longer than the
/// limit keep the page path. The answer is checked as a page's is.
/// </summary>
public sealed class PageCacheDirectTests
{
    private const int Page = 4096;
    private static readonly RemotePath File = new("dc", "ds", "vm/vm-flat.vmdk");

    private static byte[] Bytes(int n) => [.. Enumerable.Range(0, n).Select(i => (byte)(i * 7 + (i >> 8)))];

    /// <summary>A read counts as sequential within <paramref name="readAhead"/> pages of where the last one ended.</summary>
    private static PageCacheOptions Options(int directMax = 1024, int readAhead = 4) => new()
    {
        PageSize = Page,
        BudgetBytes = Page * 16L,
        MaxReadAheadPages = readAhead,
        MaxReadAheadInFlight = 2,
        DirectReadMaxBytes = directMax,
    };

    [Fact]
    public async Task A_random_small_miss_asks_for_exactly_its_bytes_and_caches_nothing()
    {
        var source = new ScriptedRangeSource(Bytes(Page * 32));
        using var cache = new PageCache(source, Options());
        await cache.ReadAsync(File, source.Content.Length, 0, new byte[2048]); // longer than the direct limit: a page

        var buffer = new byte[512];
        var n = await cache.ReadAsync(File, source.Content.Length, (Page * 20) + 100, buffer);

        n.Should().Be(512);
        buffer.Should().Equal(source.Content.AsSpan((Page * 20) + 100, 512).ToArray());
        Covering(source, (Page * 20) + 100).Should().Equal([((Page * 20) + 100, 512)], "one request, for exactly the bytes asked");
        cache.Statistics.DirectReads.Should().Be(1);

        // Far away again: read on its own again, and the page of the first one was never kept.
        (await cache.ReadAsync(File, source.Content.Length, Page * 28, buffer)).Should().Be(512);
        Covering(source, Page * 28).Should().Equal([(Page * 28, 512)]);
        cache.Statistics.DirectReads.Should().Be(2);
        (await cache.ReadAsync(File, source.Content.Length, (Page * 20) + 100, buffer)).Should().Be(512);
        Covering(source, (Page * 20) + 100).Should().HaveCount(2, "nothing of the first random read was cached: the kernel keeps what it was given");
    }

    [Fact]
    public async Task A_sequential_reader_a_page_already_there_and_a_long_read_keep_the_page_path()
    {
        var source = new ScriptedRangeSource(Bytes(Page * 32));
        using var cache = new PageCache(source, Options(readAhead: 1));
        var buffer = new byte[512];
        for (var offset = 0; offset < Page * 2; offset += 2048)
        {
            await cache.ReadAsync(File, source.Content.Length, offset, new byte[2048]);
        }

        cache.Statistics.DirectReads.Should().Be(0, "a sequential reader reads pages and ahead");

        // Random, but inside a page that is resident: a hit, no request.
        var before = source.TotalFetches;
        (await cache.ReadAsync(File, source.Content.Length, 100, buffer)).Should().Be(512);
        source.TotalFetches.Should().Be(before);

        // Random and longer than the limit: whole pages.
        var wide = new byte[2048];
        (await cache.ReadAsync(File, source.Content.Length, Page * 25, wide)).Should().Be(2048);
        cache.Statistics.DirectReads.Should().Be(0);
        wide.Should().Equal(source.Content.AsSpan(Page * 25, 2048).ToArray());
    }

    [Fact]
    public async Task A_random_read_at_the_end_of_the_file_returns_what_the_file_has()
    {
        var source = new ScriptedRangeSource(Bytes((Page * 8) + 300));
        using var cache = new PageCache(source, Options());
        await cache.ReadAsync(File, source.Content.Length, 0, new byte[16]);

        var buffer = new byte[1024];
        var n = await cache.ReadAsync(File, source.Content.Length, (Page * 8) + 100, buffer);

        n.Should().Be(200);
        buffer.AsSpan(0, 200).ToArray().Should().Equal(source.Content.AsSpan((Page * 8) + 100, 200).ToArray());
        (await cache.ReadAsync(File, source.Content.Length, source.Content.Length, buffer)).Should().Be(0);
    }

    [Fact]
    public async Task A_short_answer_to_a_direct_read_is_an_error_never_data()
    {
        var source = new ShortSource(Bytes(Page * 32));
        using var cache = new PageCache(source, Options());
        await cache.ReadAsync(File, source.Content.Length, 0, new byte[16]);

        var act = async () => await cache.ReadAsync(File, source.Content.Length, Page * 20, new byte[512]);

        (await act.Should().ThrowAsync<ToolError>()).Which.MessageId.Should().Be("cache.page.short");
    }

    [Fact]
    public async Task A_direct_loan_holds_exactly_the_bytes_until_disposed()
    {
        var source = new ScriptedRangeSource(Bytes(Page * 32));
        using var cache = new PageCache(source, Options());
        await cache.ReadAsync(File, source.Content.Length, 0, new byte[2048]);

        var loan = await cache.LendAsync(File, source.Content.Length, Page * 24, 300);

        loan.Data.Length.Should().Be(300);
        loan.Data.ToArray().Should().Equal(source.Content.AsSpan(Page * 24, 300).ToArray());
        loan.Dispose();
        loan.Dispose(); // a second dispose gives nothing back twice
        cache.Statistics.DirectReads.Should().Be(1);
    }

    private static List<(long Offset, int Length)> Covering(ScriptedRangeSource source, long offset) =>
        [.. source.Requests.Where(r => r.Offset <= offset && offset < r.Offset + r.Length)];

    /// <summary>A source that answers one byte short, as a host that cuts a body would.</summary>
    private sealed class ShortSource(byte[] content) : IRangeReader
    {
        public byte[] Content { get; } = content;

        public ValueTask<int> ReadAsync(RemotePath file, long fileSize, long offset, IReadOnlyList<Memory<byte>> destinations, CancellationToken cancellationToken)
        {
            var n = 0;
            foreach (var d in destinations)
            {
                var take = (int)Math.Max(0, Math.Min(d.Length, Content.Length - offset - n));
                Content.AsSpan((int)offset + n, take).CopyTo(d.Span);
                n += take;
            }

            return ValueTask.FromResult(offset == 0 ? n : n - 1);
        }
    }
}
