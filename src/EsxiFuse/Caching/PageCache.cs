using System.Buffers;
using System.Collections.Concurrent;
using System.Numerics;

using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Esxi;
using EsxiImport.Fuse.FileSystem;

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
        using var loan = await LendAsync(file, offset, destination.Length, cancellationToken).ConfigureAwait(false);
        loan.Data.CopyTo(destination.Span);
        return (int)loan.Data.Length;
    }

    /// <summary>
    /// Lends the file's bytes at <paramref name="offset"/> straight from the cache's pages,
    /// <paramref name="length"/> of them unless the file ends first (none at or after the end).
    /// Missing pages are fetched in runs, one request per run of adjacent pages. The pages stay
    /// pinned until the loan is disposed: dispose it as soon as the bytes are written out.
    /// Errors and cancellation as for <see cref="ReadAsync"/>.
    /// </summary>
    public async ValueTask<PageLoan> LendAsync(RemotePath file, long offset, int length, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        cancellationToken.ThrowIfCancellationRequested();
        var state = _files.GetOrAdd(file, static _ => new FileReadState());
        var end = offset + length;
        if (state.KnownSize is long known)
        {
            end = Math.Min(end, known);
        }

        if (end <= offset)
        {
            return new PageLoan(this, [], ReadOnlySequence<byte>.Empty);
        }

        // A sequential reader's missing pages are fetched with the pages after them, up to a
        // whole run: the kernel's own read-ahead sends its reads in pieces smaller than a run.
        var window = state.Observe(offset, length, _options.MaxReadAheadPages, (long)_options.MaxReadAheadPages * _options.PageSize);
        var pages = PinRange(file, offset >> _pageShift, (end - 1) >> _pageShift, state, extendRun: window > 0);
        try
        {
            var slices = new List<ReadOnlyMemory<byte>>(pages.Length);
            var done = 0;
            foreach (var page in pages)
            {
                var valid = await page.Fetch.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                var within = (int)((offset + done) & (_options.PageSize - 1));
                var count = Math.Max(0, Math.Min(valid - within, length - done));
                if (count > 0)
                {
                    slices.Add(page.Buffer.AsMemory(within, count));
                }

                done += count;
                if (valid < _options.PageSize)
                {
                    break; // the page ends before a full page: end of file
                }
            }

            ReadAhead(file, state, offset, done, window);
            return new PageLoan(this, pages, ByteSequence.Join(slices));
        }
        catch
        {
            Unpin(pages);
            throw;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }

    /// <summary>
    /// Fills a run of adjacent pages from the source with one range request. Runs detached from
    /// any reader's token: the fetch is shared, and one reader giving up must not fail it for the
    /// others. It is bounded by the source's own timeouts and by the cache's disposal.
    /// </summary>
    private async Task FetchAsync(CachedPage[] run, FileReadState state, bool readAhead)
    {
        _statistics.Fetch(readAhead);
        var first = run[0];
        var offset = first.Key.Index << _pageShift;
        var asked = run.Length * _options.PageSize;
        try
        {
            var destinations = new Memory<byte>[run.Length];
            for (var i = 0; i < run.Length; i++)
            {
                destinations[i] = run[i].Buffer.AsMemory(0, _options.PageSize);
            }

            var result = await _source.ReadAsync(first.Key.File, offset, destinations, _disposed.Token).ConfigureAwait(false);
            var received = result.BytesRead;
            if (result.FileSize is long reported)
            {
                state.LearnSize(reported);
            }
            else if (received < asked)
            {
                state.LearnSize(offset + received);
            }

            if (received < asked && state.KnownSize is long size && offset + received < size)
            {
                // A source that stops early before the end would hand out a hole as data.
                throw ToolError.Of(
                    "cache.page.short",
                    ErrorKind.Protocol,
                    ("received", received),
                    ("file", first.Key.File),
                    ("offset", offset),
                    ("size", size));
            }

            MarkReady(run);
            for (var i = 0; i < run.Length; i++)
            {
                run[i].Fetch.SetResult(Math.Clamp(received - (i * _options.PageSize), 0, _options.PageSize));
            }
        }
        catch (Exception e)
        {
            _statistics.FetchFailed();
            Discard(run);
            foreach (var page in run)
            {
                page.Fetch.SetException(e);

                // Observed here: every waiter may have given up, and a read-ahead page has none yet.
                _ = page.Fetch.Task.Exception;
            }

            if (readAhead)
            {
                _log.Debug(e, "read-ahead of {File} pages {First}+{Count} failed", first.Key.File, first.Key.Index, run.Length);
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

    /// <summary>
    /// Fetches ahead of a sequential reader: the pages of its window that are neither resident
    /// nor in flight, in runs of adjacent pages, as far as the read-ahead request limit and the
    /// budget allow.
    /// </summary>
    private void ReadAhead(RemotePath file, FileReadState state, long offset, int length, int window)
    {
        if (window == 0 || length == 0)
        {
            return;
        }

        var firstPage = ((offset + length - 1) >> _pageShift) + 1;
        var lastPage = firstPage + window - 1;
        if (state.KnownSize is long size)
        {
            lastPage = Math.Min(lastPage, (size - 1) >> _pageShift);
        }

        foreach (var run in TakeReadAheadRuns(file, firstPage, lastPage))
        {
            _ = FetchAsync(run, state, readAhead: true);
        }
    }
}
