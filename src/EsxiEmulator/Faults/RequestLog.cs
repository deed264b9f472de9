using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace EsxiImport.Emulator.Faults;

/// <summary>One served request, as tests read it back.</summary>
public sealed class RequestLogEntry
{
    private long _bytesSent;

    public required long Sequence { get; init; }

    public required string Method { get; init; }

    /// <summary>The request target as sent (path and query, still percent-encoded).</summary>
    public required string Target { get; init; }

    /// <summary>The decoded datastore path of a /folder request, or the SOAP method of an /sdk request.</summary>
    public string? Subject { get; internal set; }

    public required string Protocol { get; init; }

    /// <summary>The Range header, when the request had one.</summary>
    public string? Range { get; init; }

    /// <summary>Requests of the same endpoint in flight when this one arrived, itself included.</summary>
    public required int ConcurrencyAtArrival { get; init; }

    /// <summary>When the request arrived (wall clock, for a person reading the log).</summary>
    public DateTimeOffset Arrived { get; } = DateTimeOffset.UtcNow;

    /// <summary>From arrival to the end of the answer; null while the request is served.</summary>
    public TimeSpan? Duration { get; private set; }

    private readonly long _arrivedTimestamp = Stopwatch.GetTimestamp();

    public int Status { get; internal set; }

    /// <summary>Response body bytes handed to the transport.</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Ids of the fault rules that fired for this request.</summary>
    public IReadOnlyList<int> FaultsApplied { get; internal set; } = [];

    /// <summary>True once the response has completed or the connection was dropped.</summary>
    public bool Completed { get; private set; }

    internal void AddBytes(long n) => Interlocked.Add(ref _bytesSent, n);

    internal void Complete()
    {
        Duration = Stopwatch.GetElapsedTime(_arrivedTimestamp);
        Completed = true;
    }

    /// <summary>
    /// The entry as one line of <c>--request-log</c>:
    /// <code>2026-12-06T05:41:02.123Z #17 GET /folder/vm/vm-flat.vmdk?dcPath=…&amp;dsName=… HTTP/1.1 range=bytes=0-131071 in-flight=3 -> 206 131072 B 12.3 ms rules=2</code>
    /// </summary>
    public override string ToString()
    {
        var rules = FaultsApplied.Count == 0 ? "-" : string.Join(',', FaultsApplied);
        var ms = (Duration ?? TimeSpan.Zero).TotalMilliseconds;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{Arrived.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'} #{Sequence} {Method} {Target} {Protocol} range={Range ?? "-"} in-flight={ConcurrencyAtArrival} -> {Status} {BytesSent} B {ms:F1} ms rules={rules}");
    }
}

/// <summary>Every request the emulator served, in arrival order.</summary>
public sealed class RequestLog
{
    private readonly ConcurrentQueue<RequestLogEntry> _entries = new();
    private long _sequence;

    /// <summary>The entries so far, in arrival order.</summary>
    public IReadOnlyList<RequestLogEntry> Entries => [.. _entries];

    public void Clear() => _entries.Clear();

    /// <summary>Raised once per request when its answer has ended (sent, failed or cut).</summary>
    public event Action<RequestLogEntry>? EntryCompleted;

    internal void Complete(RequestLogEntry entry)
    {
        entry.Complete();
        EntryCompleted?.Invoke(entry);
    }

    internal long NextSequence() => Interlocked.Increment(ref _sequence);

    internal void Add(RequestLogEntry entry) => _entries.Enqueue(entry);
}
