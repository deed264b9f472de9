using System.Numerics;

using EsxiImport.Diagnostics;

namespace EsxiImport.EsxiFuse.Caching;

/// <summary>
/// Settings of the <see cref="PageCache"/>: one memory budget for all files together (upstream
/// had a cache per open file, so memory grew with the number of open disks), split into pages
/// of a fixed power-of-two size.
/// </summary>
public sealed record PageCacheOptions
{
    /// <summary>Default budget: 256 MiB.</summary>
    public const long DefaultBudgetBytes = 256L << 20;

    /// <summary>
    /// Default page: 128 KiB, so a random 4 KiB read costs a small fetch. Sequential copies still
    /// cost few requests (ESXi limits the number of requests, not bytes): adjacent missing pages
    /// are fetched as one run of up to <see cref="DefaultRequestBytes"/>.
    /// </summary>
    public const int DefaultPageSize = 128 << 10;

    /// <summary>Default longest range one request fetches: 4 MiB.</summary>
    public const int DefaultRequestBytes = 4 << 20;

    /// <summary>Default read-ahead window of a sequential reader: 16 MiB.</summary>
    public const int DefaultReadAheadBytes = 16 << 20;

    /// <summary>
    /// Default overdraft: 8 MiB, what demand reads may take beyond the budget while every page
    /// within it is pinned or being fetched (eight of the kernel's 1 MiB reads).
    /// </summary>
    public const long DefaultOverdraftBytes = 8L << 20;

    /// <summary>The largest page accepted.</summary>
    public const int MaxPageSize = 1 << 30;

    /// <summary>Bytes of page memory the cache keeps (demand reads may add <see cref="OverdraftBytes"/> to it while every page is busy).</summary>
    public long BudgetBytes { get; init; } = DefaultBudgetBytes;

    /// <summary>
    /// Bytes of page memory demand reads may take beyond the budget while every page within it
    /// is pinned or in flight; once those are taken too, a demand read waits for memory. Page
    /// memory never exceeds budget + overdraft (README, "Memory").
    /// </summary>
    public long OverdraftBytes { get; init; } = DefaultOverdraftBytes;

    /// <summary>Page size in bytes: a power of two; reads are fetched in whole aligned pages.</summary>
    public int PageSize { get; init; } = DefaultPageSize;

    /// <summary>How many pages ahead of a sequential reader are fetched at most (the window grows from 1).</summary>
    public int MaxReadAheadPages { get; init; } = DefaultReadAheadBytes / DefaultPageSize;

    /// <summary>The most adjacent pages one request fetches (a run).</summary>
    public int MaxPagesPerRequest { get; init; } = DefaultRequestBytes / DefaultPageSize;

    /// <summary>
    /// The longest miss of a random reader that is read on its own, uncached, instead of as whole
    /// pages (<see cref="PageCache"/>, PageCache.Direct.cs): 64 KiB, half a default page, so a
    /// guest's 4–64 KiB random reads cost what they ask for. 0 reads every miss as pages.
    /// </summary>
    public int DirectReadMaxBytes { get; init; } = 64 << 10;

    /// <summary>
    /// Read-ahead requests (runs) in flight at once over all files. Keep it at or below the client's
    /// requests-in-flight limit so read-ahead never queues demand reads behind it for long.
    /// </summary>
    public int MaxReadAheadInFlight { get; init; } = 4;

    /// <summary>Pages the budget holds.</summary>
    public int PageCount => (int)Math.Min(int.MaxValue, BudgetBytes / PageSize);

    /// <summary>Pages the overdraft holds.</summary>
    public int OverdraftPages => (int)Math.Min(int.MaxValue / 2, OverdraftBytes / PageSize);

    /// <summary>
    /// Maps upstream's per-file options onto the global budget: <c>--cache-page-size</c> becomes
    /// the page size (rounded up to a power of two) and page size × <c>--cache-page-count</c> the
    /// budget; a missing option keeps its default.
    /// </summary>
    public static PageCacheOptions FromUpstream(long? pageSize, long? pageCount)
    {
        var options = new PageCacheOptions();
        if (pageSize is long size)
        {
            if (size < 1 || size > MaxPageSize)
            {
                throw ToolError.Of("cache.options.page-size", ErrorKind.InvalidInput, ("size", size));
            }

            var rounded = (int)BitOperations.RoundUpToPowerOf2((uint)size);
            options = options with
            {
                PageSize = rounded,
                MaxReadAheadPages = Math.Max(1, DefaultReadAheadBytes / rounded),
                MaxPagesPerRequest = Math.Max(1, DefaultRequestBytes / rounded),
            };
        }

        if (pageCount is long count)
        {
            options = options with { BudgetBytes = checked(options.PageSize * count) };
        }

        options.Validate();
        return options;
    }

    /// <summary>Refuses a page size that is not a power of two and a budget below one page.</summary>
    internal void Validate()
    {
        if (PageSize < 1 || PageSize > MaxPageSize || !BitOperations.IsPow2(PageSize))
        {
            throw ToolError.Of("cache.options.page-size", ErrorKind.InvalidInput, ("size", PageSize));
        }

        if (BudgetBytes < PageSize)
        {
            throw ToolError.Of("cache.options.budget", ErrorKind.InvalidInput, ("budget", BudgetBytes), ("size", PageSize));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(OverdraftBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxReadAheadPages);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxReadAheadInFlight);
        ArgumentOutOfRangeException.ThrowIfNegative(DirectReadMaxBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPagesPerRequest, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)MaxPagesPerRequest * PageSize, int.MaxValue, nameof(MaxPagesPerRequest));
    }
}
