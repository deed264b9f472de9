using System.Collections.Concurrent;
using System.Numerics;

using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Esxi;

using Serilog;

namespace EsxiImport.EsxiFuse.Caching;

/// <summary>
/// The read cache between the file system and the host: whole aligned pages of a fixed
/// power-of-two size, one memory budget for all files, least-recently-used eviction of pages
/// nobody is copying from, one fetch per page however many readers want it, and read-ahead for
/// sequential readers. ESXi limits the number of requests rather than bytes (FB-25), so reading
/// ahead in whole pages costs fewer requests than following the kernel's 128 KiB reads.
/// </summary>
public sealed partial class PageCache : IDisposable
{
    private readonly IRangeReader _source;
    private readonly PageCacheOptions _options;
    private readonly ILogger _log;
    private readonly int _pageShift;
    private readonly int _capacity;
    private readonly ConcurrentDictionary<RemotePath, FileReadState> _files = new();
    private readonly CancellationTokenSource _disposed = new();
    private readonly PageCacheStatistics _statistics = new();

    /// <summary>Creates a cache over <paramref name="source"/> (the <see cref="FolderClient"/> in production).</summary>
    public PageCache(IRangeReader source, PageCacheOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        _options = options ?? new PageCacheOptions();
        _options.Validate();
        _source = source;
        _log = (logger ?? Serilog.Core.Logger.None).ForContext<PageCache>();
        _pageShift = BitOperations.Log2((uint)_options.PageSize);
        _capacity = _options.PageCount;
    }

    /// <summary>The settings in use.</summary>
    public PageCacheOptions Options => _options;

    /// <summary>Counters: hits, fetches, evictions, allocated and peak page buffers.</summary>
    public PageCacheStatistics Statistics => _statistics;

    /// <summary>Pages the budget holds; allocated buffers exceed it only while demand reads wait on pinned or in-flight pages.</summary>
    public int CapacityPages => _capacity;

    /// <summary>
    /// Copies the file's bytes at <paramref name="offset"/> into <paramref name="destination"/>
    /// and returns how many: the whole destination unless the file ends first (0 at or after
    /// the end). Fetch errors propagate (a failed page is not cached); cancelling stops this
    /// reader's wait without cancelling a fetch other readers share.
    /// </summary>
    public async ValueTask<int> ReadAsync(RemotePath file, long offset, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        cancellationToken.ThrowIfCancellationRequested();
        var state = _files.GetOrAdd(file, static _ => new FileReadState());
        var done = 0;
        while (done < destination.Length)
        {
            var position = offset + done;
            if (state.KnownSize is long size && position >= size)
            {
                break;
            }

            var within = (int)(position & (_options.PageSize - 1));
            var page = Pin(new PageKey(file, position >> _pageShift), state);
            int valid, copied;
            try
            {
                valid = await page.Fetch.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                copied = Copy(page.Buffer, within, valid, destination[done..]);
            }
            finally
            {
                Unpin(page);
            }

            done += copied;
            if (valid < _options.PageSize && within + copied >= valid)
            {
                break; // the page ends before a full page: end of file
            }
        }

        ReadAhead(file, state, offset, done);
        return done;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }

    private static int Copy(byte[] page, int within, int valid, Memory<byte> destination)
    {
        var count = Math.Max(0, Math.Min(valid - within, destination.Length));
        page.AsSpan(within, count).CopyTo(destination.Span);
        return count;
    }

    /// <summary>
    /// Fills a page from the source. Runs detached from any reader's token: the fetch is shared,
    /// and one reader giving up must not fail it for the others. It is bounded by the source's
    /// own timeouts and by the cache's disposal.
    /// </summary>
    private async Task FetchAsync(CachedPage page, FileReadState state, bool readAhead)
    {
        _statistics.Fetch(readAhead);
        try
        {
            var offset = page.Key.Index << _pageShift;
            var result = await _source.ReadAsync(page.Key.File, offset, page.Buffer.AsMemory(0, _options.PageSize), _disposed.Token).ConfigureAwait(false);
            var valid = result.BytesRead;
            if (result.FileSize is long reported)
            {
                state.LearnSize(reported);
            }
            else if (valid < _options.PageSize)
            {
                state.LearnSize(offset + valid);
            }

            if (valid < _options.PageSize && state.KnownSize is long size && offset + valid < size)
            {
                // A source that stops early before the end would hand out a hole as data.
                throw ToolError.Of(
                    "cache.page.short",
                    ErrorKind.Protocol,
                    ("received", valid),
                    ("file", page.Key.File),
                    ("offset", offset),
                    ("size", size));
            }

            MarkReady(page);
            page.Fetch.SetResult(valid);
        }
        catch (Exception e)
        {
            _statistics.FetchFailed();
            Discard(page);
            page.Fetch.SetException(e);

            // Observed here: every waiter may have given up, and a read-ahead page has none yet.
            _ = page.Fetch.Task.Exception;
            if (readAhead)
            {
                _log.Debug(e, "read-ahead of {File} page {Index} failed", page.Key.File, page.Key.Index);
            }
        }
        finally
        {
            if (readAhead)
            {
                Interlocked.Decrement(ref _readAheadInFlight);
            }
        }
    }

    private void ReadAhead(RemotePath file, FileReadState state, long offset, int length)
    {
        var window = state.Observe(offset, length, _options.MaxReadAheadPages, _options.PageSize);
        if (window == 0 || length == 0)
        {
            return;
        }

        var lastPage = (offset + length - 1) >> _pageShift;
        for (var i = 1; i <= window; i++)
        {
            var index = lastPage + i;
            if (state.KnownSize is long size && (index << _pageShift) >= size)
            {
                break;
            }

            if (!TryStartReadAhead(new PageKey(file, index), state))
            {
                break;
            }
        }
    }
}
