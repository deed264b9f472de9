using EsxiImport.EsxiFuse.Esxi;

namespace EsxiImport.EsxiFuse.Caching;

/// <summary>
/// The page table and the memory budget. One lock guards the table, the LRU list, the free
/// buffers and the pin counts; it is held only for bookkeeping, never across I/O or copies.
/// Buffers live on the pinned object heap, which never moves or compacts them whatever the page
/// size (replies are written straight from them; small pages on the ordinary heap cost 6 % more
/// peak RSS in a 32 KiB-page run), and are recycled; a buffer exists beyond the
/// budget only when a demand read finds every resident page pinned or in flight; it is dropped
/// again when it comes back.
/// </summary>
public sealed partial class PageCache
{
    private readonly Lock _gate = new();
    private readonly Dictionary<PageKey, CachedPage> _pages = [];
    private readonly LinkedList<CachedPage> _lru = new();
    private readonly Stack<byte[]> _freeBuffers = new();
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
    /// order; the missing ones are created (beyond the budget if need be: a demand read must not
    /// wait for memory) and fetched in runs of adjacent pages, one request per run. With
    /// <paramref name="extendRun"/>, a run that ends at <paramref name="last"/> takes in the
    /// missing pages after it, unpinned, up to the run limit and as far as the budget allows.
    /// </summary>
    private CachedPage[] PinRange(RemotePath file, long first, long last, FileReadState state, bool extendRun)
    {
        var pages = new CachedPage[checked((int)(last - first + 1))];
        List<CachedPage[]>? runs = null;
        lock (_gate)
        {
            var runStart = -1;
            for (var i = 0; i < pages.Length; i++)
            {
                var key = new PageKey(file, first + i);
                if (_pages.TryGetValue(key, out var existing))
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
                    CloseRun(pages, ref runStart, i, ref runs);
                    continue;
                }

                var page = new CachedPage(key, TakeBuffer(allowOverBudget: true)!) { Pins = 1 };
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
                var size = state.KnownSize;
                for (var index = last + 1; run.Count < _options.MaxPagesPerRequest; index++)
                {
                    var key = new PageKey(file, index);
                    if ((size is long s && (index << _pageShift) >= s) || _pages.ContainsKey(key) || TakeBuffer(allowOverBudget: false) is not { } buffer)
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
        }

        foreach (var run in runs ?? [])
        {
            _ = FetchAsync(run, state, readAhead: false);
        }

        return pages;
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
                    Recycle(page.Buffer);
                }
            }

            TrimToBudget();
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

                var buffer = TakeBuffer(allowOverBudget: false);
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
                    Recycle(page.Buffer);
                }
            }
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

    private byte[]? TakeBuffer(bool allowOverBudget)
    {
        if (_freeBuffers.TryPop(out var free))
        {
            return free;
        }

        if (_allocated < _capacity)
        {
            return Allocate();
        }

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

        return allowOverBudget ? Allocate() : null;
    }

    /// <summary>
    /// Gives back buffers a demand read allocated beyond the budget, as soon as the pages they
    /// hold are neither pinned nor in flight: free buffers first, then the coldest pages. Without
    /// this, an over-budget buffer would live on as an ordinary resident page.
    /// </summary>
    private void TrimToBudget()
    {
        while (_allocated > _capacity && _freeBuffers.TryPop(out _))
        {
            Release();
        }

        for (var node = _lru.First; _allocated > _capacity && node is not null;)
        {
            var next = node.Next;
            var victim = node.Value;
            if (victim.Pins == 0)
            {
                _lru.Remove(node);
                victim.LruNode = null;
                _pages.Remove(victim.Key);
                victim.Removed = true;
                _statistics.Evicted();
                Release();
            }

            node = next;
        }
    }

    private void Release()
    {
        _allocated--;
        _statistics.SetAllocated(_allocated);
    }

    private byte[] Allocate()
    {
        _allocated++;
        _statistics.SetAllocated(_allocated);
        return GC.AllocateUninitializedArray<byte>(_options.PageSize, pinned: true);
    }

    private void Recycle(byte[] buffer)
    {
        if (_allocated > _capacity)
        {
            Release();
            return;
        }

        _freeBuffers.Push(buffer);
    }
}
