namespace EsxiImport.EsxiFuse.Caching;

/// <summary>Counters of a <see cref="PageCache"/>; tests assert the memory bound and single flight with them.</summary>
public sealed class PageCacheStatistics
{
    private long _hits;
    private long _misses;
    private long _sharedWaits;
    private long _fetches;
    private long _failedFetches;
    private long _readAheadFetches;
    private long _directReads;
    private long _evictions;
    private long _memoryWaits;
    private int _fetchesInFlight;
    private int _allocatedPages;
    private int _peakAllocatedPages;
    private int _inUsePages;

    /// <summary>Page lookups that found the page ready.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Page lookups that had to fetch.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Page lookups that joined a fetch another reader had started.</summary>
    public long SharedWaits => Interlocked.Read(ref _sharedWaits);

    /// <summary>Page fetches started (demand and read-ahead).</summary>
    public long Fetches => Interlocked.Read(ref _fetches);

    /// <summary>A random reader's misses read alone, exactly the bytes asked for, and not cached (<see cref="PageCache"/>).</summary>
    public long DirectReads => Interlocked.Read(ref _directReads);

    /// <summary>Fetches that failed (and were not cached).</summary>
    public long FailedFetches => Interlocked.Read(ref _failedFetches);

    /// <summary>Fetches started by read-ahead.</summary>
    public long ReadAheadFetches => Interlocked.Read(ref _readAheadFetches);

    /// <summary>Pages dropped to make room.</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    /// <summary>Fetches started and not yet ended (tests wait for a quiet cache with it).</summary>
    public int FetchesInFlight => Volatile.Read(ref _fetchesInFlight);

    /// <summary>Demand reads that found no memory for their pages and waited.</summary>
    public long MemoryWaits => Interlocked.Read(ref _memoryWaits);

    /// <summary>Page buffers that exist now (resident, in flight and free); they are recycled, never freed.</summary>
    public int AllocatedPages => Volatile.Read(ref _allocatedPages);

    /// <summary>The most page buffers that ever existed at once.</summary>
    public int PeakAllocatedPages => Volatile.Read(ref _peakAllocatedPages);

    /// <summary>Page buffers holding data or being filled, as of the last unpin or fetch (the rest are free).</summary>
    public int InUsePages => Volatile.Read(ref _inUsePages);

    internal void Hit() => Interlocked.Increment(ref _hits);

    internal void Miss() => Interlocked.Increment(ref _misses);

    internal void SharedWait() => Interlocked.Increment(ref _sharedWaits);

    internal void Fetch(bool readAhead)
    {
        Interlocked.Increment(ref _fetches);
        Interlocked.Increment(ref _fetchesInFlight);
        if (readAhead)
        {
            Interlocked.Increment(ref _readAheadFetches);
        }
    }

    internal void DirectRead() => Interlocked.Increment(ref _directReads);

    internal void FetchFailed() => Interlocked.Increment(ref _failedFetches);

    internal void FetchEnded() => Interlocked.Decrement(ref _fetchesInFlight);

    internal void Evicted() => Interlocked.Increment(ref _evictions);

    internal void WaitedForMemory() => Interlocked.Increment(ref _memoryWaits);

    internal void SetInUse(int pages) => Volatile.Write(ref _inUsePages, pages);

    // Called under the cache's lock, so plain writes would do; Volatile keeps readers on other threads current.
    internal void SetAllocated(int pages)
    {
        Volatile.Write(ref _allocatedPages, pages);
        if (pages > _peakAllocatedPages)
        {
            Volatile.Write(ref _peakAllocatedPages, pages);
        }
    }
}
