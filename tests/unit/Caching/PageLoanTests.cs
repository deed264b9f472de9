using System.Buffers;
using System.Runtime.InteropServices;

using EsxiImport.EsxiFuse.Caching;
using EsxiImport.EsxiFuse.Esxi;

namespace EsxiImport.UnitTests.Caching;

/// <summary>
/// A loan hands out the cache's own page memory (no copy) and keeps those pages pinned, so they
/// can neither be evicted nor reused, until it is disposed, once.
/// </summary>
public sealed class PageLoanTests
{
    private static readonly RemotePath File = new("dc", "ds", "vm/disk-flat.vmdk");

    private static byte[] Bytes(int count)
    {
        var data = new byte[count];
        new Random(5).NextBytes(data);
        return data;
    }

    private static PageCacheOptions Options(int pages) => new()
    {
        PageSize = 64,
        BudgetBytes = 64L * pages,
        MaxReadAheadPages = 0,
        MaxReadAheadInFlight = 0,
        DirectReadMaxBytes = 0, // loans of pages; a direct read's loan is in PageCacheDirectTests
    };

    [Fact]
    public async Task A_loan_is_the_pages_own_memory_one_segment_per_page()
    {
        var source = new ScriptedRangeSource(Bytes(1000));
        using var cache = new PageCache(source, Options(8));

        using var loan = await cache.LendAsync(File, source.Content.Length, 50, 100);

        loan.Data.ToArray().Should().Equal(source.Content[50..150]);
        var segments = new List<ReadOnlyMemory<byte>>();
        foreach (var segment in loan.Data)
        {
            segments.Add(segment);
        }

        segments.Select(s => s.Length).Should().Equal(14, 64, 22);
        segments.Select(PageBufferLength).Should().OnlyContain(n => n == 64, "each segment is a slice of a page buffer, not a copy");
    }

    [Fact]
    public async Task Lent_pages_stay_in_memory_beyond_the_budget_until_the_loan_is_disposed()
    {
        var source = new ScriptedRangeSource(Bytes(1000));
        using var cache = new PageCache(source, Options(2));
        var loan = await cache.LendAsync(File, source.Content.Length, 0, 128);

        await cache.ReadAsync(File, source.Content.Length, 256, new byte[128]);

        cache.Statistics.PeakAllocatedPages.Should().Be(4, "the two lent pages may not be evicted for the next read");
        loan.Data.ToArray().Should().Equal(source.Content[..128], "lent bytes are never overwritten");
        await cache.ReadAsync(File, source.Content.Length, 0, new byte[128]);
        source.Requests.Should().Equal([(0L, 128), (256L, 128)], "the lent pages are still there");
        loan.Dispose();
        await cache.ReadAsync(File, source.Content.Length, 512, new byte[64]);
        cache.Statistics.InUsePages.Should().BeLessThanOrEqualTo(2);
    }

    [Fact]
    public async Task Disposing_a_loan_twice_gives_its_pins_back_once()
    {
        var source = new ScriptedRangeSource(Bytes(1000));
        using var cache = new PageCache(source, Options(1));
        var loan = await cache.LendAsync(File, source.Content.Length, 0, 64);
        loan.Dispose();
        loan.Dispose();

        await cache.ReadAsync(File, source.Content.Length, 64, new byte[64]);

        cache.Statistics.Evictions.Should().Be(1, "page 0 is unpinned, so it makes room");
        cache.Statistics.AllocatedPages.Should().Be(1);
    }

    [Fact]
    public async Task A_loan_at_or_after_the_end_is_empty_and_one_across_it_is_short()
    {
        var source = new ScriptedRangeSource(Bytes(100));
        using var cache = new PageCache(source, Options(4));

        using var across = await cache.LendAsync(File, source.Content.Length, 90, 64);
        using var after = await cache.LendAsync(File, source.Content.Length, 100, 64);

        across.Data.ToArray().Should().Equal(source.Content[90..]);
        after.Data.IsEmpty.Should().BeTrue();
    }

    [Fact]
    public async Task A_cancelled_loan_gives_back_the_pages_it_had_pinned()
    {
        var source = new ScriptedRangeSource(Bytes(1000));
        using var cache = new PageCache(source, Options(2));
        source.Hold();
        using var cts = new CancellationTokenSource();
        var loan = cache.LendAsync(File, source.Content.Length, 0, 128, cts.Token).AsTask();
        cts.Cancel();
        await loan.Invoking(l => l).Should().ThrowAsync<OperationCanceledException>();
        source.Release();

        await cache.ReadAsync(File, source.Content.Length, 256, new byte[128]);
        await cache.ReadAsync(File, source.Content.Length, 512, new byte[128]);

        cache.Statistics.InUsePages.Should().BeLessThanOrEqualTo(2, "the cancelled reader's pins are gone");
    }

    private static int PageBufferLength(ReadOnlyMemory<byte> segment) =>
        MemoryMarshal.TryGetArray(segment, out var array) ? array.Array!.Length : -1;
}
