using EsxiImport.EsxiFuse.Esxi;

namespace EsxiImport.EsxiFuse.Caching;

/// <summary>
/// The page table and the memory bound. One lock guards the table, the LRU list, the free
/// buffers, the pin counts and the waiters for memory; it is held only for bookkeeping, never
/// across I/O or copies.
/// <para>
/// Page buffers live on the pinned object heap, which never moves or compacts them whatever the
/// page size (replies are written straight from them), and once allocated they are never given
/// back to the GC but recycled: memory that comes and goes would leave garbage on that heap,
/// collected only by a full GC, and RSS would grow with the traffic instead of the budget. The
/// buffers in use (holding data, or being filled) are trimmed back to the budget whenever
/// nothing pins them; beyond it only demand reads may take buffers, up to a fixed overdraft
/// (read-ahead never does). A demand read that finds no buffer within budget + overdraft waits,
/// holding no pin, until a fetch ends or a loan is returned — so the page memory never exceeds
/// budget + overdraft (or one read's own pages, if a single read spans more).
/// </para>
/// </summary>
public sealed partial class PageCache
{
    private readonly Lock _gate = new();
    private readonly Dictionary<PageKey, CachedPage> _pages = [];
    private readonly LinkedList<CachedPage> _lru = new();
    private readonly Stack<byte[]> _freeBuffers = new();
    private TaskCompletionSource? _memoryFreed;
    private int _allocated;
    private int _readAheadInFlight;

    /// <summary>Pages with data in memory now.</summary>
    public int ResidentPages
    {
        get
        {
            lock (_gate)
            {
                return _lru.Count;
            }
        }
    }

    /// <summary>
    /// Pins pages <paramref name="first"/>..<paramref name="last"/> of a file for a reader, in
    /// order, as soon as there is memory for the missing ones; those are created and fetched in
    /// runs of adjacent pages, one request per run. With <paramref name="extendRun"/>, a run that
    /// ends at <paramref name="last"/> takes in the missing pages after it, unpinned, up to the
    /// run limit and as far as the budget allows (never into the overdraft).
    /// </summary>
    private async ValueTask<CachedPage[]> PinRangeAsync(RemotePath file, long fileSize, long first, long last, bool extendRun, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task freed;
            lock (_gate)
            {
                if (TryPinRange(file, fileSize, first, last, extendRun) is { } pages)
                {
                    return pages;
                }

                _memoryFreed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                freed = _memoryFreed.Task;
            }

            _statistics.WaitedForMemory();
            await freed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Pins the range, or changes nothing and returns null when its missing pages do not fit yet. Under the lock.</summary>
    private CachedPage[]? TryPinRange(RemotePath file, long fileSize, long first, long last, bool extendRun)
    {
        var count = checked((int)(last - first + 1));
        var missing = 0;
        for (var i = 0; i < count; i++)
        {
            missing += _pages.ContainsKey(new PageKey(file, first + i)) ? 0 : 1;
        }

        // A read spanning more pages than the overdraft may still go, but then only alone.
        var limit = (int)Math.Min(int.MaxValue, (long)_capacity + Math.Max(_overdraft, count));
        if (missing > 0 && !CanProvide(missing, limit, file, first, last))
        {
            return null;
        }

        // Existing pages first: pinned, none of them can be evicted for the missing ones.
        var pages = new CachedPage[count];
        for (var i = 0; i < count; i++)
        {
            if (_pages.TryGetValue(new PageKey(file, first + i), out var existing))
            {
                existing.Pins++;
                if (existing.Ready)
                {
                    Touch(existing);
                    _statistics.Hit();
                }
                else
                {
                    _statistics.SharedWait();
                }

                pages[i] = existing;
            }
        }

        List<CachedPage[]>? runs = null;
        var runStart = -1;
        for (var i = 0; i < count; i++)
        {
            if (pages[i] is not null)
            {
                CloseRun(pages, ref runStart, i, ref runs);
                continue;
            }

            var key = new PageKey(file, first + i);
            var page = new CachedPage(key, TakeBuffer(limit)!) { Pins = 1 };
            _pages.Add(key, page);
            _statistics.Miss();
            pages[i] = page;
            runStart = runStart < 0 ? i : runStart;
            if (i - runStart + 1 == _options.MaxPagesPerRequest)
            {
                CloseRun(pages, ref runStart, i + 1, ref runs);
            }
        }

        if (runStart >= 0 && extendRun)
        {
            var run = new List<CachedPage>(pages[runStart..]);
            for (var index = last + 1; run.Count < _options.MaxPagesPerRequest && (index << _pageShift) < fileSize; index++)
            {
                var key = new PageKey(file, index);
                if (_pages.ContainsKey(key) || TakeBuffer(_capacity) is not { } buffer)
                {
                    break;
                }

                var page = new CachedPage(key, buffer);
                _pages.Add(key, page);
                run.Add(page);
            }

            (runs ??= []).Add([.. run]);
            runStart = -1;
        }

        CloseRun(pages, ref runStart, pages.Length, ref runs);
        foreach (var run in runs ?? [])
        {
            _ = FetchAsync(run, fileSize, readAhead: false);
        }

        return pages;
    }

    /// <summary>
    /// Whether <paramref name="needed"/> buffers can be had within <paramref name="limit"/> buffers
    /// in use: free or new ones below the limit, and cold pages nobody pins — not the range's own pages.
    /// </summary>
    private bool CanProvide(int needed, int limit, RemotePath file, long first, long last)
    {
        var available = Math.Max(0, limit - (_allocated - _freeBuffers.Count));
        for (var node = _lru.First; node is not null && available < needed; node = node.Next)
        {
            var key = node.Value.Key;
            if (node.Value.Pins == 0 && !(key.File == file && key.Index >= first && key.Index <= last))
            {
                available++;
            }
        }

        return available >= needed;
    }

    private static void CloseRun(CachedPage[] pages, ref int runStart, int end, ref List<CachedPage[]>? runs)
    {
        if (runStart >= 0)
        {
            (runs ??= []).Add(pages[runStart..end]);
            runStart = -1;
        }
    }

    /// <summary>Gives back the pins of a read or a loan, under one lock.</summary>
    internal void Unpin(CachedPage[] pages)
    {
        if (pages.Length == 0)
        {
            return;
        }

        lock (_gate)
        {
            foreach (var page in pages)
            {
                page.Pins--;
                if (page.Pins == 0 && page.Removed)
                {
                    _freeBuffers.Push(page.Buffer);
                }
            }

            TrimToBudget();
            MemoryFreed();
        }
    }

    /// <summary>
    /// Creates the missing pages among <paramref name="first"/>..<paramref name="last"/> for
    /// read-ahead and groups them into runs of adjacent pages; stops at the read-ahead request
    /// limit and where the budget has no free or cold buffer left (read-ahead never grows memory).
    /// </summary>
    private List<CachedPage[]> TakeReadAheadRuns(RemotePath file, long first, long last)
    {
        var runs = new List<CachedPage[]>();
        lock (_gate)
        {
            var run = new List<CachedPage>();
            for (var index = first; index <= last; index++)
            {
                var key = new PageKey(file, index);
                if (_pages.ContainsKey(key))
                {
                    if (!StartRun(run, runs))
                    {
                        break;
                    }

                    continue;
                }

                if (run.Count == 0 && Volatile.Read(ref _readAheadInFlight) + runs.Count >= _options.MaxReadAheadInFlight)
                {
                    break;
                }

                var buffer = TakeBuffer(_capacity);
                if (buffer is null)
                {
                    break;
                }

                var page = new CachedPage(key, buffer);
                _pages.Add(key, page);
                run.Add(page);
                if (run.Count == _options.MaxPagesPerRequest && !StartRun(run, runs))
                {
                    break;
                }
            }

            StartRun(run, runs);
            Interlocked.Add(ref _readAheadInFlight, runs.Count);
        }

        return runs;
    }

    /// <summary>Closes the run being built; false when no further run may start.</summary>
    private bool StartRun(List<CachedPage> run, List<CachedPage[]> runs)
    {
        if (run.Count > 0)
        {
            runs.Add([.. run]);
            run.Clear();
        }

        return Volatile.Read(ref _readAheadInFlight) + runs.Count < _options.MaxReadAheadInFlight;
    }

    private void MarkReady(CachedPage[] run)
    {
        lock (_gate)
        {
            foreach (var page in run)
            {
                page.Ready = true;
                page.LruNode = _lru.AddLast(page);
            }

            TrimToBudget();
            MemoryFreed();
        }
    }

    /// <summary>Takes the pages of a failed fetch out of the table so the next reader fetches again.</summary>
    private void Discard(CachedPage[] run)
    {
        lock (_gate)
        {
            foreach (var page in run)
            {
                if (_pages.TryGetValue(page.Key, out var current) && current == page)
                {
                    _pages.Remove(page.Key);
                }

                page.Removed = true;
                if (page.Pins == 0)
                {
                    _freeBuffers.Push(page.Buffer);
                }
            }

            MemoryFreed();
        }
    }

    private void Touch(CachedPage page)
    {
        if (page.LruNode is { } node)
        {
            _lru.Remove(node);
            _lru.AddLast(node);
        }
    }

    /// <summary>
    /// A buffer for a new page. While the buffers in use are below the budget: a free one, else a
    /// new one. At or above it: the coldest unpinned page's (in use stays the same); else, while
    /// fewer than <paramref name="limit"/> are in use (the overdraft, for demand reads), a free or
    /// new one; null when none of these is left. Counting buffers in use rather than allocated
    /// keeps read-ahead (limit = budget) off the free buffers an overdraft left behind.
    /// </summary>
    private byte[]? TakeBuffer(int limit)
    {
        var inUse = _allocated - _freeBuffers.Count;
        if (inUse >= _capacity && _lru.First is not null && EvictColdest() is { } cold)
        {
            return cold;
        }

        if (inUse >= Math.Max(_capacity, limit))
        {
            return null;
        }

        return _freeBuffers.TryPop(out var free) ? free : Allocate();
    }

    /// <summary>Takes the coldest page nobody pins out of the cache and returns its buffer; null when every resident page is pinned.</summary>
    private byte[]? EvictColdest()
    {
        for (var node = _lru.First; node is not null; node = node.Next)
        {
            var victim = node.Value;
            if (victim.Pins != 0)
            {
                continue;
            }

            _lru.Remove(node);
            victim.LruNode = null;
            _pages.Remove(victim.Key);
            victim.Removed = true;
            _statistics.Evicted();
            return victim.Buffer;
        }

        return null;
    }

    /// <summary>
    /// Brings the buffers in use (all but the free ones) back within the budget once the pages
    /// beyond it are neither pinned nor in flight: the coldest pages go first, their buffers to
    /// the free stack.
    /// </summary>
    private void TrimToBudget()
    {
        while (_allocated - _freeBuffers.Count > _capacity && EvictColdest() is { } buffer)
        {
            _freeBuffers.Push(buffer);
        }

        _statistics.SetInUse(_allocated - _freeBuffers.Count);
    }

    /// <summary>Wakes the demand reads that wait for memory: pins were dropped, pages became cold or buffers free.</summary>
    private void MemoryFreed()
    {
        if (_memoryFreed is { } waiters)
        {
            _memoryFreed = null;
            waiters.TrySetResult();
        }
    }

    private byte[] Allocate()
    {
        _allocated++;
        _statistics.SetAllocated(_allocated);
        return GC.AllocateUninitializedArray<byte>(_options.PageSize, pinned: true);
    }
}
