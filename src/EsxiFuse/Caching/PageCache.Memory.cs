namespace EsxiImport.EsxiFuse.Caching;

/// <summary>
/// The page table and the memory budget. One lock guards the table, the LRU list, the free
/// buffers and the pin counts; it is held only for bookkeeping, never across I/O or copies.
/// Buffers are recycled (pages are large-object-heap sized), and a buffer exists beyond the
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

    /// <summary>Finds or starts the page and pins it for the caller.</summary>
    private CachedPage Pin(PageKey key, FileReadState state)
    {
        CachedPage page;
        lock (_gate)
        {
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

                return existing;
            }

            page = new CachedPage(key, TakeBuffer(allowOverBudget: true)!) { Pins = 1 };
            _pages.Add(key, page);
            _statistics.Miss();
        }

        _ = FetchAsync(page, state, readAhead: false);
        return page;
    }

    private void Unpin(CachedPage page)
    {
        lock (_gate)
        {
            page.Pins--;
            if (page.Pins == 0 && page.Removed)
            {
                Recycle(page.Buffer);
            }

            TrimToBudget();
        }
    }

    /// <summary>Starts a read-ahead fetch; false when the in-flight limit or the budget says stop.</summary>
    private bool TryStartReadAhead(PageKey key, FileReadState state)
    {
        CachedPage page;
        lock (_gate)
        {
            if (_pages.ContainsKey(key))
            {
                return true;
            }

            if (_readAheadInFlight >= _options.MaxReadAheadInFlight)
            {
                return false;
            }

            // Read-ahead never grows memory past the budget; it only reuses what is free or cold.
            var buffer = TakeBuffer(allowOverBudget: false);
            if (buffer is null)
            {
                return false;
            }

            Interlocked.Increment(ref _readAheadInFlight);
            page = new CachedPage(key, buffer);
            _pages.Add(key, page);
        }

        _ = FetchAsync(page, state, readAhead: true);
        return true;
    }

    private void MarkReady(CachedPage page)
    {
        lock (_gate)
        {
            page.Ready = true;
            page.LruNode = _lru.AddLast(page);
            TrimToBudget();
        }
    }

    /// <summary>Takes a failed page out of the table so the next reader fetches again.</summary>
    private void Discard(CachedPage page)
    {
        lock (_gate)
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
        return GC.AllocateUninitializedArray<byte>(_options.PageSize);
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
