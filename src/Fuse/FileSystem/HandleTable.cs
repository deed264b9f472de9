using System.Collections.Concurrent;

namespace EsxiImport.Fuse.FileSystem;

/// <summary>File-handle numbers (the fh of OPEN replies) for open files and directories.</summary>
internal sealed class HandleTable<T>
    where T : class
{
    private readonly ConcurrentDictionary<ulong, T> _open = new();
    private long _next;

    public int Count => _open.Count;

    public ulong Add(T value)
    {
        var fh = (ulong)Interlocked.Increment(ref _next);
        _open[fh] = value;
        return fh;
    }

    public T? Get(ulong fh) => _open.GetValueOrDefault(fh);

    public T? Remove(ulong fh) => _open.TryRemove(fh, out var value) ? value : null;
}
