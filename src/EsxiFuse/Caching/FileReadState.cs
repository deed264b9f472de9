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
    private int _streak;

    /// <summary>
    /// Reads in a row that must each start near where the last one ended before any read-ahead:
    /// one near read proves nothing for a random reader (on a 256 MiB disk one in eight random
    /// reads lands within 16 MiB of the last), and each false start cost a 4 MiB run and
    /// read-ahead behind which the next random reads queued. A sequential reader loses one
    /// request's worth of read-ahead at its start.
    /// </summary>
    internal const int ConfirmingReads = 2;

    /// <summary>
    /// Records a read and returns how many pages ahead to fetch (0 for a random reader, and for
    /// the first of a sequential run until <see cref="ConfirmingReads"/> confirm it). A read
    /// within <paramref name="tolerance"/> bytes of where the last one ended still counts as
    /// sequential: the kernel issues a sequential reader's requests concurrently, so they may
    /// arrive slightly out of order.
    /// </summary>
    public int Observe(long offset, int length, int maxWindow, long tolerance)
    {
        lock (_gate)
        {
            var sequential = Math.Abs(offset - _nextExpected) <= tolerance;
            _streak = sequential ? _streak + 1 : 0;
            _window = _streak >= ConfirmingReads ? Math.Min(maxWindow, Math.Max(1, _window * 2)) : 0;
            _nextExpected = sequential ? Math.Max(_nextExpected, offset + length) : offset + length;
            return _window;
        }
    }
}
