using System.Buffers;

using EsxiImport.EsxiFuse.Esxi;

namespace EsxiImport.EsxiFuse.Caching;

/// <summary>
/// Random reads. A reader that jumps around (a live import's guest, a random 4 KiB benchmark)
/// gains nothing from the rest of a 128 KiB page, but pays for it on every miss: the transfer of
/// a whole page where it asked for a few KiB. So a miss of a random reader (no read-ahead window)
/// that no cached or in-flight page covers, and that is at most
/// <see cref="PageCacheOptions.DirectReadMaxBytes"/> long, is read on its own — exactly the bytes
/// asked for, one request, into a buffer rented for the reply — and not cached: the kernel keeps
/// what it was given (the files are opened with FOPEN_KEEP_CACHE), so a second read of it does not
/// reach the tool. Sequential readers keep whole pages, runs and read-ahead. The answer is checked
/// as a page's is: fewer bytes than asked is an error, never data.
/// </summary>
public sealed partial class PageCache
{
    /// <summary>True when no page of <paramref name="first"/>..<paramref name="last"/> is resident or being fetched.</summary>
    private bool NoneCached(RemotePath file, long first, long last)
    {
        lock (_gate)
        {
            for (var index = first; index <= last; index++)
            {
                if (_pages.ContainsKey(new PageKey(file, index)))
                {
                    return false;
                }
            }

            return true;
        }
    }

    private async ValueTask<PageLoan> LendDirectAsync(RemotePath file, long fileSize, long offset, int count, CancellationToken cancellationToken)
    {
        _statistics.DirectRead();
        var buffer = ArrayPool<byte>.Shared.Rent(count);
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
            var received = await _source.ReadAsync(file, fileSize, offset, [buffer.AsMemory(0, count)], linked.Token).ConfigureAwait(false);
            if (received != count)
            {
                throw ShortAnswer(received, file, offset, fileSize);
            }

            return new PageLoan(this, buffer, count);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }
}
