namespace EsxiImport.EsxiFuse.Caching;

/// <summary>
/// How one file is being read: whether the reader moves sequentially (qemu-img convert reads a
/// disk front to back in 128 KiB requests), in which case a window of pages ahead is fetched
/// and doubles while the pattern holds. The file's size is not kept here: it is the caller's
/// fact (from HEAD), never something an answer taught the cache.
/// </summary>
internal sealed class FileReadState
{
    private readonly Lock _gate = new();
    private long _nextExpected;
    private int _window;

    /// <summary>
    /// Records a read and returns how many pages ahead to fetch (0 for a random reader). A read
    /// within <paramref name="tolerance"/> bytes of where the last one ended still counts as
    /// sequential: the kernel issues a sequential reader's requests concurrently, so they may
    /// arrive slightly out of order.
    /// </summary>
    public int Observe(long offset, int length, int maxWindow, long tolerance)
    {
        lock (_gate)
        {
            var sequential = Math.Abs(offset - _nextExpected) <= tolerance;
            _window = sequential ? Math.Min(maxWindow, Math.Max(1, _window * 2)) : 0;
            _nextExpected = sequential ? Math.Max(_nextExpected, offset + length) : offset + length;
            return _window;
        }
    }
}
