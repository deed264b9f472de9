namespace EsxiImport.EsxiFuse.Esxi;

/// <summary>
/// The concurrency gate of a <see cref="FolderClient"/>: how many requests may be at the host at
/// once. Every attempt takes a slot for its whole life (request to last body byte) and gives it
/// back before it waits out a backoff, so retries count against the limit and never pile up
/// (FB-25). The one place that decides how many requests are in flight.
/// </summary>
internal sealed class RequestGate(int limit) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(limit, limit);

    /// <summary>The most requests in flight at once.</summary>
    public int Limit { get; } = limit;

    /// <summary>Waits for a slot; give it back with <see cref="Release"/>.</summary>
    public Task EnterAsync(CancellationToken cancellationToken) => _slots.WaitAsync(cancellationToken);

    public void Release() => _slots.Release();

    public void Dispose() => _slots.Dispose();
}
