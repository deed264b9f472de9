using System.Buffers;

namespace EsxiImport.EsxiFuse.Caching;

/// <summary>
/// Bytes lent straight out of cache pages: the pages stay pinned (not evicted, their buffers not
/// reused) until the loan is disposed, once, after the reply that gathers them has been written.
/// </summary>
public sealed class PageLoan : IDisposable
{
    private readonly PageCache _cache;
    private CachedPage[]? _pages;
    private byte[]? _rented;

    internal PageLoan(PageCache cache, CachedPage[] pages, ReadOnlySequence<byte> data)
    {
        _cache = cache;
        _pages = pages;
        Data = data;
    }

    /// <summary>Bytes read for this reader alone into a buffer rented from the shared pool, returned on dispose.</summary>
    internal PageLoan(PageCache cache, byte[] rented, int length)
    {
        _cache = cache;
        _rented = rented;
        Data = new ReadOnlySequence<byte>(rented, 0, length);
    }

    /// <summary>The lent bytes: one segment per page they come from.</summary>
    public ReadOnlySequence<byte> Data { get; }

    /// <summary>Unpins the pages; a second call does nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _pages, null) is { } pages)
        {
            _cache.Unpin(pages);
        }

        if (Interlocked.Exchange(ref _rented, null) is { } rented)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
