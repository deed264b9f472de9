using System.Buffers;

using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Caching;
using EsxiImport.EsxiFuse.Esxi;
using EsxiImport.UnitTests.Caching;

using FsCheck;
using FsCheck.Xunit;

namespace EsxiImport.PropertyTests.Caching;

/// <summary>
/// Whatever the file size, page size, budget and read pattern, the cache hands out exactly the
/// file's bytes, stays within its memory budget, fetches a page once for concurrent readers,
/// and under injected failures yields either the right bytes or an error — never wrong bytes.
/// </summary>
public sealed class PageCacheProperties
{
    private static readonly RemotePath File = new("dc", "ds", "disk.vmdk");

    private static byte[] Content(int size, int seed)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        return data;
    }

    private static PageCacheOptions Options(int pageExponent, int budgetPages, int readAhead) => new()
    {
        PageSize = 1 << (pageExponent % 9),
        BudgetBytes = (1L << (pageExponent % 9)) * (1 + (budgetPages % 6)),
        OverdraftBytes = (1L << (pageExponent % 9)) * (budgetPages % 3),
        MaxReadAheadPages = readAhead % 5,
        MaxReadAheadInFlight = 1 + (readAhead % 4),
    };

    [Property(MaxTest = 1000)]
    public bool Every_read_returns_exactly_the_source_slice_within_the_budget(
        NonNegativeInt fileSize, NonNegativeInt pageExponent, NonNegativeInt budgetPages, NonNegativeInt readAhead, (NonNegativeInt Offset, NonNegativeInt Length)[] reads)
    {
        var size = fileSize.Get % 3000;
        var source = new ScriptedRangeSource(Content(size, size));
        using var cache = new PageCache(source, Options(pageExponent.Get, budgetPages.Get, readAhead.Get));
        var widest = 0;
        foreach (var (offsetArb, lengthArb) in reads)
        {
            var offset = offsetArb.Get % (size + 64);
            var buffer = new byte[lengthArb.Get % 400];
            var n = cache.ReadAsync(File, source.Content.Length, offset, buffer).AsTask().GetAwaiter().GetResult();
            var expected = offset >= size ? [] : source.Content[offset..Math.Min(size, offset + buffer.Length)];
            if (n != expected.Length || !buffer.AsSpan(0, n).SequenceEqual(expected))
            {
                return false;
            }

            // A read pins the pages it spans while it waits for them, and only those may exist
            // beyond the budget (never more than the overdraft, unless one read alone spans
            // more); afterwards the buffers in use are back within the budget.
            widest = Math.Max(widest, SpannedPages(cache, offset, buffer.Length));
            if (cache.Statistics.PeakAllocatedPages > cache.CapacityPages + widest
                || cache.Statistics.InUsePages > cache.CapacityPages)
            {
                return false;
            }
        }

        return true;
    }

    [Property(MaxTest = 1000)]
    public bool Loans_lend_exactly_the_source_slice_and_give_every_page_back(
        NonNegativeInt fileSize, NonNegativeInt pageExponent, NonNegativeInt budgetPages, NonNegativeInt readAhead, (NonNegativeInt Offset, NonNegativeInt Length)[] reads)
    {
        var size = fileSize.Get % 3000;
        var source = new ScriptedRangeSource(Content(size, size + 1));

        // The loans held here while the next one is asked for must fit the overdraft: a reader
        // that waits for memory while itself pinning all of it would wait forever.
        var options = Options(pageExponent.Get, budgetPages.Get, readAhead.Get);
        using var cache = new PageCache(source, options with { OverdraftBytes = options.PageSize * 4L * 401 });
        var held = new Queue<PageLoan>();
        try
        {
            foreach (var (offsetArb, lengthArb) in reads)
            {
                var offset = offsetArb.Get % (size + 64);
                var length = lengthArb.Get % 400;
                var loan = cache.LendAsync(File, source.Content.Length, offset, length).AsTask().GetAwaiter().GetResult();
                held.Enqueue(loan);
                var expected = offset >= size ? [] : source.Content[offset..Math.Min(size, offset + length)];
                if (!loan.Data.ToArray().AsSpan().SequenceEqual(expected))
                {
                    return false;
                }

                // Up to three loans are alive at once, as replies waiting to be written.
                if (held.Count > 3)
                {
                    held.Dequeue().Dispose();
                }
            }
        }
        finally
        {
            while (held.TryDequeue(out var loan))
            {
                loan.Dispose();
            }
        }

        cache.ReadAsync(File, source.Content.Length, 0, new byte[1]).AsTask().GetAwaiter().GetResult();
        return cache.Statistics.InUsePages <= cache.CapacityPages;
    }

    [Property(MaxTest = 300)]
    public bool Concurrent_readers_never_take_more_than_budget_and_overdraft_and_all_get_their_bytes(
        NonNegativeInt pageExponent, NonNegativeInt budgetPages, NonNegativeInt overdraftPages, NonNegativeInt seed, PositiveInt readers)
    {
        var pageSize = 1 << (4 + (pageExponent.Get % 4));
        var source = new ScriptedRangeSource(Content(pageSize * 40, seed.Get)) { Latency = TimeSpan.FromMilliseconds(1) };
        using var cache = new PageCache(source, new PageCacheOptions
        {
            PageSize = pageSize,
            BudgetBytes = pageSize * (1L + (budgetPages.Get % 4)),
            OverdraftBytes = pageSize * (long)(overdraftPages.Get % 4),
            MaxReadAheadPages = 2,
            MaxReadAheadInFlight = 2,
        });
        var random = new Random(seed.Get);
        var asked = Enumerable.Range(0, 1 + (readers.Get % 24))
            .Select(_ => (Offset: random.Next(source.Content.Length), Buffer: new byte[1 + random.Next(pageSize * 3)]))
            .ToList();
        var widest = asked.Max(a => SpannedPages(cache, a.Offset, Math.Min(a.Buffer.Length, source.Content.Length - a.Offset)));
        var reads = asked.Select(a => Task.Run(() => cache.ReadAsync(File, source.Content.Length, a.Offset, a.Buffer).AsTask())).ToArray();
        if (!Task.WaitAll(reads, TimeSpan.FromSeconds(30)))
        {
            return false; // a reader waiting for memory that never comes
        }

        return cache.Statistics.PeakAllocatedPages <= cache.CapacityPages + Math.Max(cache.OverdraftPages, widest)
            && asked.Select((a, i) => (a, n: reads[i].Result)).All(x =>
                x.n == Math.Min(x.a.Buffer.Length, source.Content.Length - x.a.Offset)
                && x.a.Buffer.AsSpan(0, x.n).SequenceEqual(source.Content.AsSpan(x.a.Offset, x.n)));
    }

    [Property(MaxTest = 1000)]
    public bool Concurrent_readers_of_one_page_cause_one_fetch(PositiveInt readers, NonNegativeInt pageExponent, NonNegativeInt page)
    {
        var pageSize = 1 << (4 + (pageExponent.Get % 6));
        var source = new ScriptedRangeSource(Content(pageSize * 8, pageSize));
        using var cache = new PageCache(source, new PageCacheOptions { PageSize = pageSize, BudgetBytes = pageSize * 4L, MaxReadAheadPages = 0, DirectReadMaxBytes = 0 });
        var pageStart = (page.Get % 8) * pageSize;
        source.Hold();
        var random = new Random(readers.Get);
        var asked = Enumerable.Range(0, 1 + (readers.Get % 16))
            .Select(_ => (Offset: pageStart + random.Next(pageSize), Buffer: new byte[1 + random.Next(pageSize)]))
            .Select(r => (r.Offset, r.Buffer, Read: cache.ReadAsync(File, source.Content.Length, r.Offset, r.Buffer).AsTask()))
            .ToList();
        source.Release();
        Task.WhenAll(asked.Select(a => a.Read)).GetAwaiter().GetResult();

        return source.FetchesAt(pageStart) == 1
            && asked.All(a =>
            {
                var end = Math.Min(a.Offset + a.Buffer.Length, pageStart + pageSize);
                return a.Buffer.AsSpan(0, end - a.Offset).SequenceEqual(source.Content.AsSpan(a.Offset, end - a.Offset));
            });
    }

    [Property(MaxTest = 1000)]
    public bool Injected_failures_give_the_right_bytes_or_an_error_never_wrong_bytes(
        NonNegativeInt fileSize, NonNegativeInt pageExponent, NonNegativeInt seed, (NonNegativeInt Offset, NonNegativeInt Length)[] reads)
    {
        var size = 1 + (fileSize.Get % 2000);
        var failures = new Random(seed.Get);
        var source = new ScriptedRangeSource(Content(size, seed.Get)) { Fail = _ => failures.Next(3) == 0 };
        using var cache = new PageCache(source, Options(pageExponent.Get, seed.Get, seed.Get));
        var pending = reads.Select(r =>
        {
            var offset = r.Offset.Get % (size + 16);
            var buffer = new byte[r.Length.Get % 300];
            return (Offset: offset, Buffer: buffer, Read: cache.ReadAsync(File, source.Content.Length, offset, buffer).AsTask());
        }).ToList();

        foreach (var (offset, buffer, read) in pending)
        {
            try
            {
                var n = read.GetAwaiter().GetResult();
                var expected = offset >= size ? [] : source.Content[offset..Math.Min(size, offset + buffer.Length)];
                if (n != expected.Length || !buffer.AsSpan(0, n).SequenceEqual(expected))
                {
                    return false;
                }
            }
            catch (ToolError error) when (error.Kind == ErrorKind.Transport)
            {
                // An error is an allowed answer; wrong bytes are not.
            }
        }

        return true;
    }

    private static int SpannedPages(PageCache cache, long offset, int length)
    {
        var pageSize = cache.Options.PageSize;
        return length == 0 ? 0 : (int)(((offset + length - 1) / pageSize) - (offset / pageSize) + 1);
    }
}
