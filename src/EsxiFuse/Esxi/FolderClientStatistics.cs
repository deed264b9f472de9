namespace EsxiImport.EsxiFuse.Esxi;

/// <summary>
/// Counters of one <see cref="FolderClient"/>, read by tests and the benchmark to prove the
/// in-flight limit holds (also during retries) and to report how many requests a run cost.
/// </summary>
public sealed class FolderClientStatistics
{
    private long _requests;
    private long _retries;
    private long _reauthentications;
    private long _bytesRead;
    private int _inFlight;
    private int _peakInFlight;

    /// <summary>HTTP requests sent (every attempt counts).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Attempts repeated after a transient failure.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Requests repeated without the session cookie after a 401.</summary>
    public long Reauthentications => Interlocked.Read(ref _reauthentications);

    /// <summary>Body bytes handed to callers.</summary>
    public long BytesRead => Interlocked.Read(ref _bytesRead);

    /// <summary>Requests in flight right now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The most requests that were ever in flight at once.</summary>
    public int PeakInFlight => Volatile.Read(ref _peakInFlight);

    internal void RequestStarted()
    {
        Interlocked.Increment(ref _requests);
        var now = Interlocked.Increment(ref _inFlight);
        for (var peak = Volatile.Read(ref _peakInFlight); now > peak; peak = Volatile.Read(ref _peakInFlight))
        {
            if (Interlocked.CompareExchange(ref _peakInFlight, now, peak) == peak)
            {
                break;
            }
        }
    }

    internal void RequestEnded() => Interlocked.Decrement(ref _inFlight);

    internal void Retried() => Interlocked.Increment(ref _retries);

    internal void Reauthenticated() => Interlocked.Increment(ref _reauthentications);

    internal void Delivered(int bytes) => Interlocked.Add(ref _bytesRead, bytes);
}
