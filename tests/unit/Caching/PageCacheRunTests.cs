using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Caching;
using EsxiImport.EsxiFuse.Esxi;

namespace EsxiImport.UnitTests.Caching;

/// <summary>
/// Adjacent missing pages are fetched as one run with one request (ESXi counts requests, not
/// bytes), never longer than the run limit, never across a page that is already there.
/// </summary>
public sealed class PageCacheRunTests
{
    private static readonly RemotePath File = new("dc", "ds", "vm/disk-flat.vmdk");

    private static byte[] Bytes(int count)
    {
        var data = new byte[count];
        new Random(11).NextBytes(data);
        return data;
    }

    private static PageCacheOptions Options(int pagesPerRequest, int readAhead = 0) => new()
    {
        PageSize = 64,
        BudgetBytes = 64 * 32,
        MaxPagesPerRequest = pagesPerRequest,
        MaxReadAheadPages = readAhead,
        MaxReadAheadInFlight = readAhead == 0 ? 0 : 2,
        DirectReadMaxBytes = 0, // runs of pages, whatever the reader's pattern
    };

    [Fact]
    public async Task Missing_pages_are_fetched_in_runs_no_longer_than_the_limit()
    {
        var source = new ScriptedRangeSource(Bytes(1000));
        using var cache = new PageCache(source, Options(pagesPerRequest: 2));
        var buffer = new byte[320];

        (await cache.ReadAsync(File, source.Content.Length, 0, buffer)).Should().Be(320);

        buffer.Should().Equal(source.Content[..320]);
        source.Requests.Should().Equal((0L, 128), (128L, 128), (256L, 64));
    }

    [Fact]
    public async Task A_page_already_there_splits_the_run_and_is_not_fetched_again()
    {
        var source = new ScriptedRangeSource(Bytes(1000));
        using var cache = new PageCache(source, Options(pagesPerRequest: 8));
        await cache.ReadAsync(File, source.Content.Length, 70, new byte[10]);
        var buffer = new byte[256];

        (await cache.ReadAsync(File, source.Content.Length, 0, buffer)).Should().Be(256);

        buffer.Should().Equal(source.Content[..256]);
        source.Requests.Should().Equal((64L, 64), (0L, 64), (128L, 128));
        cache.Statistics.Hits.Should().Be(1);
    }

    [Fact]
    public async Task A_run_stops_at_the_last_page_of_the_file_and_returns_the_bytes_up_to_the_end()
    {
        var source = new ScriptedRangeSource(Bytes(100));
        using var cache = new PageCache(source, Options(pagesPerRequest: 8));
        var buffer = new byte[256];

        (await cache.ReadAsync(File, source.Content.Length, 0, buffer)).Should().Be(100);
        (await cache.ReadAsync(File, source.Content.Length, 100, buffer)).Should().Be(0);

        buffer[..100].Should().Equal(source.Content);
        source.Requests.Should().Equal((0L, 128));
    }

    [Fact]
    public async Task A_failed_run_fails_all_its_pages_and_none_of_them_is_kept()
    {
        var source = new ScriptedRangeSource(Bytes(1000)) { Fail = n => n == 0 };
        using var cache = new PageCache(source, Options(pagesPerRequest: 4));

        var act = () => cache.ReadAsync(File, source.Content.Length, 0, new byte[256]).AsTask();

        await act.Should().ThrowAsync<ToolError>();
        cache.ResidentPages.Should().Be(0);
        var buffer = new byte[256];
        (await cache.ReadAsync(File, source.Content.Length, 0, buffer)).Should().Be(256);
        buffer.Should().Equal(source.Content[..256]);
        source.Requests.Should().Equal((0L, 256), (0L, 256));
        cache.Statistics.FailedFetches.Should().Be(1);
    }

    [Fact]
    public async Task A_sequential_readers_missing_page_is_fetched_with_the_pages_after_it_up_to_a_run()
    {
        var source = new ScriptedRangeSource(Bytes(64 * 64));
        using var cache = new PageCache(source, Options(pagesPerRequest: 4, readAhead: 8) with { MaxReadAheadInFlight = 0 });

        await cache.ReadAsync(File, source.Content.Length, 0, new byte[64]);
        await cache.ReadAsync(File, source.Content.Length, 64, new byte[64]);
        await cache.ReadAsync(File, source.Content.Length, 128, new byte[128]);
        await cache.ReadAsync(File, source.Content.Length, 512, new byte[64]);

        // The first read is one read, not yet a run (FileReadState.ConfirmingReads); the second
        // confirms it and takes the pages after it up to a run.
        source.Requests.Should().Equal([(0L, 64), (64L, 256), (512L, 256)], "a jump within the window still counts as sequential");
        cache.Statistics.Hits.Should().Be(2);
    }

    [Fact]
    public async Task A_random_readers_missing_page_is_fetched_alone()
    {
        var source = new ScriptedRangeSource(Bytes(64 * 64));
        using var cache = new PageCache(source, Options(pagesPerRequest: 4, readAhead: 2));

        await cache.ReadAsync(File, source.Content.Length, 2048, new byte[64]);
        await cache.ReadAsync(File, source.Content.Length, 64, new byte[64]);

        source.Requests.Should().Equal((2048L, 64), (64L, 64));
    }

    [Fact]
    public async Task Read_ahead_fetches_the_window_in_runs_within_its_request_limit()
    {
        var source = new ScriptedRangeSource(Bytes(64 * 64));
        using var cache = new PageCache(source, Options(pagesPerRequest: 4, readAhead: 8));

        for (long offset = 0; offset < 64 * 4; offset += 64)
        {
            await cache.ReadAsync(File, source.Content.Length, offset, new byte[64]);
        }

        await WaitUntil(() => source.PeakInFlight >= 0 && cache.Statistics.ReadAheadFetches > 0);
        var readAhead = source.Requests.Skip(1).ToList();
        readAhead.Should().NotBeEmpty();
        readAhead.Should().OnlyContain(r => r.Length >= 64 && r.Length <= 256 && r.Offset % 64 == 0);
        readAhead.Should().Contain(r => r.Length > 64, "adjacent read-ahead pages share a request");
        source.PeakInFlight.Should().BeLessThanOrEqualTo(3, "one demand read plus at most two read-ahead runs");
    }

    [Fact]
    public void A_run_limit_below_one_page_or_above_two_gibibytes_is_refused()
    {
        var none = () => new PageCache(new ScriptedRangeSource([]), new PageCacheOptions { MaxPagesPerRequest = 0 });
        var huge = () => new PageCache(new ScriptedRangeSource([]), new PageCacheOptions { PageSize = 1 << 20, MaxPagesPerRequest = 4096 });

        none.Should().Throw<ArgumentOutOfRangeException>();
        huge.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Upstream_page_sizes_keep_the_read_ahead_and_request_lengths_in_bytes()
    {
        var big = PageCacheOptions.FromUpstream(pageSize: 1 << 20, pageCount: null);
        var small = PageCacheOptions.FromUpstream(pageSize: 4096, pageCount: null);
        var huge = PageCacheOptions.FromUpstream(pageSize: 64 << 20, pageCount: null);

        ((long)big.MaxReadAheadPages * big.PageSize).Should().Be(PageCacheOptions.DefaultReadAheadBytes);
        ((long)big.MaxPagesPerRequest * big.PageSize).Should().Be(PageCacheOptions.DefaultRequestBytes);
        ((long)small.MaxPagesPerRequest * small.PageSize).Should().Be(PageCacheOptions.DefaultRequestBytes);
        huge.MaxPagesPerRequest.Should().Be(1);
        huge.MaxReadAheadPages.Should().Be(1);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(10);
        }
    }
}
