namespace EsxiImport.EsxiFuse.Caching;

/// <summary>
/// What the cache knows about one file: its size, once an answer revealed it, and whether the
/// reader moves sequentially (qemu-img convert reads a disk front to back in 128 KiB requests),
/// in which case a window of pages ahead is fetched and doubles while the pattern holds.
/// </summary>
internal sealed class FileReadState
{
    private readonly Lock _gate = new();
    private long _nextExpected;
    private int _window;
    private long _knownSize = -1;

    /// <summary>The file size, or null while unknown.</summary>
    public long? KnownSize
    {
        get
        {
            var size = Volatile.Read(ref _knownSize);
            return size < 0 ? null : size;
        }
    }

    public void LearnSize(long size) => Volatile.Write(ref _knownSize, size);

    /// <summary>Records a read and returns how many pages ahead to fetch (0 for a random reader).</summary>
    public int Observe(long offset, int length, int maxWindow)
    {
        lock (_gate)
        {
            _window = offset == _nextExpected ? Math.Min(maxWindow, Math.Max(1, _window * 2)) : 0;
            _nextExpected = offset + length;
            return _window;
        }
    }
}