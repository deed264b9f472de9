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
    private readonly int _overdraft;
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
        _overdraft = _options.OverdraftPages;
    }

    /// <summary>The settings in use.</summary>
    public PageCacheOptions Options => _options;

    /// <summary>Counters: hits, fetches, evictions, allocated and peak page buffers.</summary>
    public PageCacheStatistics Statistics => _statistics;

    /// <summary>Pages the budget holds; buffers in use exceed it only while demand reads wait on pinned or in-flight pages.</summary>
    public int CapacityPages => _capacity;

    /// <summary>Pages demand reads may take beyond the budget while every page within it is pinned or in flight.</summary>
    public int OverdraftPages => _overdraft;

    /// <summary>
    /// Copies the bytes at <paramref name="offset"/> of a file of <paramref name="fileSize"/>
    /// bytes into <paramref name="destination"/> and returns how many: the whole destination
    /// unless the file ends first (0 at or after the end). The size is the file's as its HEAD
    /// gave it; an answer that contradicts it fails the fetch. Fetch errors propagate (a failed
    /// page is not cached, and nothing a failed answer said is remembered); cancelling stops
    /// this reader's wait without cancelling a fetch other readers share.
    /// </summary>
    public async ValueTask<int> ReadAsync(RemotePath file, long fileSize, long offset, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        using var loan = await LendAsync(file, fileSize, offset, destination.Length, cancellationToken).ConfigureAwait(false);
        loan.Data.CopyTo(destination.Span);
        return (int)loan.Data.Length;
    }

    /// <summary>
    /// Lends the bytes at <paramref name="offset"/> of a file of <paramref name="fileSize"/> bytes
    /// straight from the cache's pages, <paramref name="length"/> of them unless the file ends
    /// first (none at or after the end). Missing pages are fetched in runs, one request per run of
    /// adjacent pages, once there is memory for them. The pages stay pinned until the loan is
    /// disposed: dispose it as soon as the bytes are written out, and never wait for another read
    /// while holding one (that read may be waiting for the very memory the loan pins). Errors and
    /// cancellation as for <see cref="ReadAsync"/>.
    /// </summary>
    public async ValueTask<PageLoan> LendAsync(RemotePath file, long fileSize, long offset, int length, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfNegative(fileSize);
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        cancellationToken.ThrowIfCancellationRequested();
        var end = Math.Min(offset + length, fileSize);
        if (end <= offset)
        {
            return new PageLoan(this, [], ReadOnlySequence<byte>.Empty);
        }

        // A sequential reader's missing pages are fetched with the pages after them, up to a
        // whole run: the kernel's own read-ahead sends its reads in pieces smaller than a run.
        var state = _files.GetOrAdd(file, static _ => new FileReadState());
        var window = state.Observe(offset, length, ReadAheadPages, (long)_options.MaxReadAheadPages * _options.PageSize);
        if (window == 0 && end - offset <= _options.DirectReadMaxBytes && NoneCached(file, offset >> _pageShift, (end - 1) >> _pageShift))
        {
            return await LendDirectAsync(file, fileSize, offset, (int)(end - offset), cancellationToken).ConfigureAwait(false);
        }

        var pages = await PinRangeAsync(file, fileSize, offset >> _pageShift, (end - 1) >> _pageShift, window > 0, cancellationToken).ConfigureAwait(false);
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
                    break; // the last page of the file
                }
            }

            ReadAhead(file, fileSize, offset, done, window);
            return new PageLoan(this, pages, ByteSequence.Join(slices));
        }
        catch
        {
            Unpin(pages);
            throw;
        }
    }

    /// <summary>An answer with fewer bytes than the range asked for: an error, never data.</summary>
    private static ToolError ShortAnswer(int received, RemotePath file, long offset, long fileSize) =>
        ToolError.Of("cache.page.short", ErrorKind.Protocol, ("received", received), ("file", file), ("offset", offset), ("size", fileSize));

    /// <inheritdoc/>
    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }

    /// <summary>
    /// Fills a run of adjacent pages from the source with one range request. Runs detached from
    /// any reader's token: the fetch is shared, and one reader giving up must not fail it for the
    /// others. It is bounded by the source's own time limits and by the cache's disposal.
    /// </summary>
    private async Task FetchAsync(CachedPage[] run, long fileSize, bool readAhead)
    {
        _statistics.Fetch(readAhead);
        var first = run[0];
        var offset = first.Key.Index << _pageShift;
        var expected = (int)Math.Min((long)run.Length * _options.PageSize, fileSize - offset);
        try
        {
            var destinations = new Memory<byte>[run.Length];
            for (var i = 0; i < run.Length; i++)
            {
                destinations[i] = run[i].Buffer.AsMemory(0, _options.PageSize);
            }

            var received = await _source.ReadAsync(first.Key.File, fileSize, offset, destinations, _disposed.Token).ConfigureAwait(false);
            if (received != expected)
            {
                // A source that stops early would hand out a hole as data, or a false end of file.
                throw ShortAnswer(received, first.Key.File, offset, fileSize);
            }

            MarkReady(run);
            for (var i = 0; i < run.Length; i++)
            {
                run[i].Fetch.SetResult(Math.Clamp(expected - (i * _options.PageSize), 0, _options.PageSize));
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

            _statistics.FetchEnded();
        }
    }

    /// <summary>
    /// Read-ahead runs in flight at most now: the option, raised to the number of requests the
    /// reader lets be in flight when it adapts it to the host, so one sequential reader can keep
    /// every slot busy; 0 (no read-ahead) stays 0.
    /// </summary>
    private int ReadAheadInFlight => _options.MaxReadAheadInFlight == 0 ? 0 : Math.Max(_options.MaxReadAheadInFlight, _source.RequestLimit ?? 0);

    /// <summary>
    /// The read-ahead window's most pages: the option, or, when the source adapts its requests in
    /// flight, as many whole runs as may be in flight (how far a read counts as sequential stays the option's).
    /// </summary>
    private int ReadAheadPages => _options.MaxReadAheadPages == 0 || _source.RequestLimit is null
        ? _options.MaxReadAheadPages
        : Math.Max(_options.MaxReadAheadPages, ReadAheadInFlight * _options.MaxPagesPerRequest);

    /// <summary>
    /// Fetches ahead of a sequential reader: the pages of its window that are neither resident
    /// nor in flight, in runs of adjacent pages, as far as the read-ahead request limit and the
    /// budget allow.
    /// </summary>
    private void ReadAhead(RemotePath file, long fileSize, long offset, int length, int window)
    {
        if (window == 0 || length == 0)
        {
            return;
        }

        var firstPage = ((offset + length - 1) >> _pageShift) + 1;
        var lastPage = firstPage + window - 1;
        lastPage = Math.Min(lastPage, (fileSize - 1) >> _pageShift);
        foreach (var run in TakeReadAheadRuns(file, firstPage, lastPage))
        {
            _ = FetchAsync(run, fileSize, readAhead: true);
        }
    }
}
