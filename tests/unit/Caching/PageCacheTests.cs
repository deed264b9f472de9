using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Caching;
using EsxiImport.EsxiFuse.Esxi;

namespace EsxiImport.UnitTests.Caching;

public sealed class PageCacheTests
{
    private static readonly RemotePath File = new("dc", "ds", "vm/disk-flat.vmdk");

    private static byte[] Bytes(int count)
    {
        var data = new byte[count];
        new Random(7).NextBytes(data);
        return data;
    }

    private static PageCacheOptions Options(int pageSize, int pages, int readAhead = 0) => new()
    {
        PageSize = pageSize,
        BudgetBytes = (long)pageSize * pages,
        MaxReadAheadPages = readAhead,
        MaxReadAheadInFlight = readAhead == 0 ? 0 : 4,
        DirectReadMaxBytes = 0, // these tests are about pages; PageCacheDirectTests has the random reader's own reads
    };

    [Fact]
    public async Task A_read_across_pages_returns_the_source_bytes_and_fetches_its_aligned_pages_with_one_request()
    {
        var source = new ScriptedRangeSource(Bytes(1000));
        using var cache = new PageCache(source, Options(64, 4));
        var buffer = new byte[100];

        var n = await cache.ReadAsync(File, source.Content.Length, 50, buffer);

        n.Should().Be(100);
        buffer.Should().Equal(source.Content[50..150]);
        source.Requests.Should().Equal((0L, 192));
    }

    [Fact]
    public async Task A_read_at_the_end_is_short_only_there_and_zero_after_it()
    {
        var source = new ScriptedRangeSource(Bytes(100));
        using var cache = new PageCache(source, Options(64, 4));
        var buffer = new byte[64];

        (await cache.ReadAsync(File, source.Content.Length, 90, buffer)).Should().Be(10);
        buffer[..10].Should().Equal(source.Content[90..]);
        (await cache.ReadAsync(File, source.Content.Length, 100, buffer)).Should().Be(0);
        (await cache.ReadAsync(File, source.Content.Length, 5000, buffer)).Should().Be(0);
    }

    [Fact]
    public async Task Rereading_hits_the_cache()
    {
        var source = new ScriptedRangeSource(Bytes(256));
        using var cache = new PageCache(source, Options(64, 4));

        await cache.ReadAsync(File, source.Content.Length, 0, new byte[64]);
        await cache.ReadAsync(File, source.Content.Length, 10, new byte[20]);

        source.TotalFetches.Should().Be(1);
        cache.Statistics.Hits.Should().Be(1);
    }

    [Fact]
    public async Task The_least_recently_used_page_is_evicted_and_memory_stays_within_the_budget()
    {
        var source = new ScriptedRangeSource(Bytes(64 * 10));
        using var cache = new PageCache(source, Options(64, 3));

        for (var page = 0; page < 10; page++)
        {
            await cache.ReadAsync(File, source.Content.Length, page * 64, new byte[64]);
        }

        await cache.ReadAsync(File, source.Content.Length, 9 * 64, new byte[1]);
        await cache.ReadAsync(File, source.Content.Length, 0, new byte[1]);

        source.FetchesAt(9 * 64).Should().Be(1, "the newest page stayed");
        source.FetchesAt(0).Should().Be(2, "the oldest page was evicted");
        cache.Statistics.PeakAllocatedPages.Should().BeLessThanOrEqualTo(3);
        cache.ResidentPages.Should().BeLessThanOrEqualTo(3);
    }

    [Fact]
    public async Task Concurrent_readers_of_one_page_share_one_fetch()
    {
        var source = new ScriptedRangeSource(Bytes(256));
        using var cache = new PageCache(source, Options(64, 4));
        source.Hold();

        var readers = Enumerable.Range(0, 8).Select(i => cache.ReadAsync(File, source.Content.Length, i, new byte[8]).AsTask()).ToList();
        source.Release();
        var results = await Task.WhenAll(readers);

        results.Should().OnlyContain(n => n == 8);
        source.TotalFetches.Should().Be(1);
        cache.Statistics.SharedWaits.Should().Be(7);
    }

    [Fact]
    public async Task Pages_taken_beyond_the_budget_for_waiting_readers_are_trimmed_back_and_recycled()
    {
        var source = new ScriptedRangeSource(Bytes(64 * 16));
        using var cache = new PageCache(source, Options(64, 2));
        source.Hold();

        var readers = Enumerable.Range(0, 8).Select(i => cache.ReadAsync(File, source.Content.Length, i * 64, new byte[64]).AsTask()).ToList();
        cache.Statistics.AllocatedPages.Should().Be(8, "within the overdraft each waiting reader gets its page at once");
        source.Release();
        await Task.WhenAll(readers);

        cache.Statistics.PeakAllocatedPages.Should().Be(8);
        cache.Statistics.InUsePages.Should().BeLessThanOrEqualTo(2);
        cache.ResidentPages.Should().BeLessThanOrEqualTo(2);

        // The buffers beyond the budget are kept for the next burst, not left to the GC.
        await Task.WhenAll(Enumerable.Range(8, 8).Select(i => cache.ReadAsync(File, source.Content.Length, i * 64, new byte[64]).AsTask()));
        cache.Statistics.AllocatedPages.Should().Be(8);
    }

    [Fact]
    public async Task Demand_reads_beyond_budget_and_overdraft_wait_for_memory_and_then_all_get_their_bytes()
    {
        var source = new ScriptedRangeSource(Bytes(64 * 16));
        using var cache = new PageCache(source, Options(64, 2) with { OverdraftBytes = 64 * 2 });
        source.Hold();

        var readers = Enumerable.Range(0, 8).Select(i => (Offset: i * 64, Buffer: new byte[64])).ToList();
        var reads = readers.Select(r => cache.ReadAsync(File, source.Content.Length, r.Offset, r.Buffer).AsTask()).ToList();
        cache.Statistics.AllocatedPages.Should().Be(4, "budget and overdraft, no more");
        cache.Statistics.MemoryWaits.Should().BeGreaterThanOrEqualTo(4);
        source.Release();
        await Task.WhenAll(reads).WaitAsync(TimeSpan.FromSeconds(10));

        readers.Select(r => r.Buffer).Should().Equal(readers.Select(r => source.Content.Skip(r.Offset).Take(64).ToArray()), (a, b) => a.SequenceEqual(b));
        cache.Statistics.PeakAllocatedPages.Should().Be(4);
    }

    [Fact]
    public async Task Read_ahead_stays_within_the_budget_even_when_an_overdraft_left_free_buffers()
    {
        var source = new ScriptedRangeSource(Bytes(64 * 16));
        using var cache = new PageCache(source, Options(64, 1, readAhead: 4) with { OverdraftBytes = 64 * 3 });
        (await cache.ReadAsync(File, source.Content.Length, 0, new byte[64 * 4])).Should().Be(64 * 4);
        cache.Statistics.InUsePages.Should().Be(1, "the overdraft went back to the free buffers");

        source.Hold();
        var next = cache.ReadAsync(File, source.Content.Length, 64 * 4, new byte[64]).AsTask();

        // The free buffers belong to the overdraft, which only demand reads may use: the run the
        // sequential reader starts takes the one cold page's buffer and nothing beyond it.
        source.Requests.Should().Equal((0L, 64 * 4), (64L * 4, 64));
        source.Release();
        (await next.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be(64);
    }

    [Fact]
    public async Task A_read_wider_than_budget_and_overdraft_still_goes_alone()
    {
        var source = new ScriptedRangeSource(Bytes(64 * 16));
        using var cache = new PageCache(source, Options(64, 1) with { OverdraftBytes = 64 });
        var buffer = new byte[64 * 6];

        (await cache.ReadAsync(File, source.Content.Length, 0, buffer)).Should().Be(buffer.Length);

        buffer.Should().Equal(source.Content[..buffer.Length]);
        cache.Statistics.PeakAllocatedPages.Should().Be(6);
    }

    [Fact]
    public async Task A_reader_waiting_for_memory_can_be_cancelled()
    {
        var source = new ScriptedRangeSource(Bytes(64 * 16));
        using var cache = new PageCache(source, Options(64, 1) with { OverdraftBytes = 0 });
        source.Hold();
        var first = cache.ReadAsync(File, source.Content.Length, 0, new byte[64]).AsTask();
        using var cts = new CancellationTokenSource();

        var waiting = cache.ReadAsync(File, source.Content.Length, 64, new byte[64], cts.Token).AsTask();
        await cts.CancelAsync();

        await ((Func<Task>)(() => waiting)).Should().ThrowAsync<OperationCanceledException>();
        source.Release();
        (await first).Should().Be(64);
    }

    [Fact]
    public async Task A_failed_fetch_reaches_every_waiter_and_is_not_cached()
    {
        var source = new ScriptedRangeSource(Bytes(256)) { Fail = n => n == 0 };
        using var cache = new PageCache(source, Options(64, 4));
        source.Hold();

        var first = cache.ReadAsync(File, source.Content.Length, 0, new byte[8]).AsTask();
        var second = cache.ReadAsync(File, source.Content.Length, 8, new byte[8]).AsTask();
        source.Release();

        await ((Func<Task>)(() => first)).Should().ThrowAsync<ToolError>();
        await ((Func<Task>)(() => second)).Should().ThrowAsync<ToolError>();
        var buffer = new byte[8];
        (await cache.ReadAsync(File, source.Content.Length, 0, buffer)).Should().Be(8);
        buffer.Should().Equal(source.Content[..8]);
        source.TotalFetches.Should().Be(2);
    }

    [Fact]
    public async Task A_cancelled_reader_does_not_cancel_the_fetch_others_wait_for()
    {
        var source = new ScriptedRangeSource(Bytes(256));
        using var cache = new PageCache(source, Options(64, 4));
        source.Hold();
        using var cts = new CancellationTokenSource();

        var cancelled = cache.ReadAsync(File, source.Content.Length, 0, new byte[8], cts.Token).AsTask();
        var patient = cache.ReadAsync(File, source.Content.Length, 0, new byte[8]).AsTask();
        await cts.CancelAsync();
        await ((Func<Task>)(() => cancelled)).Should().ThrowAsync<OperationCanceledException>();
        source.Release();

        (await patient).Should().Be(8);
        source.TotalFetches.Should().Be(1);
    }

    [Fact]
    public async Task Sequential_reads_fetch_ahead_with_several_ranges_in_flight()
    {
        var source = new ScriptedRangeSource(Bytes(64 * 64)) { Latency = TimeSpan.FromMilliseconds(5) };
        using var cache = new PageCache(source, Options(64, 32, readAhead: 8) with { MaxPagesPerRequest = 2 });

        for (long offset = 0; offset < 64 * 16; offset += 16)
        {
            var buffer = new byte[16];
            (await cache.ReadAsync(File, source.Content.Length, offset, buffer)).Should().Be(16);
            buffer.Should().Equal(source.Content[(int)offset..(int)(offset + 16)]);
        }

        cache.Statistics.ReadAheadFetches.Should().BeGreaterThan(0);
        cache.Statistics.Hits.Should().BeGreaterThan(cache.Statistics.Misses);
        source.PeakInFlight.Should().BeGreaterThan(1).And.BeLessThanOrEqualTo(5);
    }

    [Fact]
    public async Task Read_ahead_keeps_as_many_runs_in_flight_as_the_source_lets_be_in_flight()
    {
        // One page a run, the option allows 4 runs of read-ahead; the source adapts and lets 12 be in flight.
        var source = new ScriptedRangeSource(Bytes(64 * 256)) { Latency = TimeSpan.FromMilliseconds(50), RequestLimit = 12 };
        using var cache = new PageCache(source, Options(64, 64, readAhead: 4) with { MaxPagesPerRequest = 1 });

        for (long offset = 0; offset < 64 * 128; offset += 64)
        {
            var buffer = new byte[64];
            (await cache.ReadAsync(File, source.Content.Length, offset, buffer)).Should().Be(64);
            buffer.Should().Equal(source.Content[(int)offset..(int)(offset + 64)]);
        }

        source.PeakInFlight.Should().BeGreaterThan(5, "more runs than the option's 4 were in flight").And.BeLessThanOrEqualTo(13);
    }

    [Fact]
    public async Task Random_reads_do_not_trigger_read_ahead()
    {
        var source = new ScriptedRangeSource(Bytes(64 * 64));
        using var cache = new PageCache(source, Options(64, 32, readAhead: 8));

        foreach (var offset in new long[] { 640, 64, 2048, 1024, 3000 })
        {
            await cache.ReadAsync(File, source.Content.Length, offset, new byte[4]);
        }

        cache.Statistics.ReadAheadFetches.Should().Be(0);
    }

    [Fact]
    public async Task A_source_that_stops_early_before_the_end_is_an_error_not_a_hole()
    {
        using var cache = new PageCache(new LyingSource(), Options(64, 4));

        var act = () => cache.ReadAsync(File, 1000, 0, new byte[64]).AsTask();

        (await act.Should().ThrowAsync<ToolError>()).Which.MessageId.Should().Be("cache.page.short");
    }

    [Theory]
    [InlineData(3, 1024)]
    [InlineData(0, 1024)]
    [InlineData(64, 32)]
    public void Invalid_settings_are_refused(int pageSize, long budget)
    {
        var act = () => new PageCache(new ScriptedRangeSource([]), new PageCacheOptions { PageSize = pageSize, BudgetBytes = budget });

        act.Should().Throw<ToolError>().Which.Kind.Should().Be(ErrorKind.InvalidInput);
    }

    [Fact]
    public void Upstream_page_options_map_onto_the_global_budget()
    {
        var options = PageCacheOptions.FromUpstream(pageSize: 3 << 20, pageCount: 8);

        options.PageSize.Should().Be(4 << 20);
        options.BudgetBytes.Should().Be(32L << 20);
        PageCacheOptions.FromUpstream(null, null).Should().Be(new PageCacheOptions());
    }

    /// <summary>Returns 10 bytes for a full page of a 1000-byte file.</summary>
    private sealed class LyingSource : IRangeReader
    {
        public ValueTask<int> ReadAsync(RemotePath file, long fileSize, long offset, IReadOnlyList<Memory<byte>> destinations, CancellationToken cancellationToken) =>
            ValueTask.FromResult(10);
    }
}
