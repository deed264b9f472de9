using EsxiImport.EsxiFuse.Esxi;

namespace EsxiImport.EsxiFuse.Caching;

/// <summary>Identifies a page: the file and the page's index (offset / page size).</summary>
internal readonly record struct PageKey(RemotePath File, long Index);

/// <summary>
/// One page: its buffer, and the one fetch that fills it, which every reader of the page awaits
/// (single flight). Pins count the readers waiting for the page or holding a loan of it (a reply
/// not yet written from it); a pinned page is never evicted and its buffer never reused. All fields but the task are guarded by the cache's lock.
/// </summary>
internal sealed class CachedPage(PageKey key, byte[] buffer)
{
    public PageKey Key { get; } = key;

    public byte[] Buffer { get; } = buffer;

    /// <summary>Completes with the number of valid bytes (less than a page only at end of file).</summary>
    public TaskCompletionSource<int> Fetch { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Pins { get; set; }

    /// <summary>Set when the fetch succeeded; only ready pages are in the LRU list.</summary>
    public bool Ready { get; set; }

    /// <summary>Set when the page left the table (evicted or failed); its buffer goes back when unpinned.</summary>
    public bool Removed { get; set; }

    /// <summary>This page's node in the LRU list while it is ready and resident.</summary>
    public LinkedListNode<CachedPage>? LruNode { get; set; }
}
