using System.Collections.Concurrent;

namespace EsxiImport.Emulator.Faults;

/// <summary>Totals tests can assert on; fault-rule hits are on each <see cref="FaultRule"/> too.</summary>
public sealed class EmulatorCounters
{
    private readonly ConcurrentDictionary<int, long> _byStatus = new();
    private readonly ConcurrentDictionary<int, long> _faultHits = new();
    private long _requests;
    private long _folderRequests;
    private long _sdkRequests;
    private long _bytesSent;
    private long _rejectedBusy;
    private long _authFailures;
    private long _sessionsCreated;
    private int _folderInFlight;
    private int _sdkInFlight;
    private int _maxFolderInFlight;
    private int _connectionsOpen;
    private int _maxConnectionsOpen;
    private long _connectionsRefused;

    public long Requests => Interlocked.Read(ref _requests);

    public long FolderRequests => Interlocked.Read(ref _folderRequests);

    public long SdkRequests => Interlocked.Read(ref _sdkRequests);

    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>/folder requests answered 503 by the host's in-flight limit (not by a fault rule).</summary>
    public long RejectedBusy => Interlocked.Read(ref _rejectedBusy);

    /// <summary>Requests answered 401.</summary>
    public long AuthFailures => Interlocked.Read(ref _authFailures);

    /// <summary>Sessions created by Basic-authenticated /folder requests.</summary>
    public long SessionsCreated => Interlocked.Read(ref _sessionsCreated);

    public int FolderInFlight => Volatile.Read(ref _folderInFlight);

    public int SdkInFlight => Volatile.Read(ref _sdkInFlight);

    /// <summary>The highest number of /folder requests that were in flight at once.</summary>
    public int MaxFolderInFlight => Volatile.Read(ref _maxFolderInFlight);

    /// <summary>Responses per status code.</summary>
    public long WithStatus(int status) => _byStatus.GetValueOrDefault(status);

    /// <summary>Times the fault rule with this id fired.</summary>
    public long FaultHits(int ruleId) => _faultHits.GetValueOrDefault(ruleId);

    /// <summary>Fires of all fault rules together.</summary>
    public long AllFaultHits => _faultHits.Values.Sum();

    internal int Enter(FaultEndpoint? endpoint)
    {
        Interlocked.Increment(ref _requests);
        switch (endpoint)
        {
            case FaultEndpoint.Folder:
                Interlocked.Increment(ref _folderRequests);
                var now = Interlocked.Increment(ref _folderInFlight);
                RaiseMax(ref _maxFolderInFlight, now);

                return now;
            case FaultEndpoint.Sdk:
                Interlocked.Increment(ref _sdkRequests);
                return Interlocked.Increment(ref _sdkInFlight);
            default:
                return 1;
        }
    }

    internal void Leave(FaultEndpoint? endpoint, int status)
    {
        if (endpoint == FaultEndpoint.Folder)
        {
            Interlocked.Decrement(ref _folderInFlight);
        }
        else if (endpoint == FaultEndpoint.Sdk)
        {
            Interlocked.Decrement(ref _sdkInFlight);
        }

        _byStatus.AddOrUpdate(status, 1, (_, n) => n + 1);
    }

    /// <summary>TCP connections open at once, at most (refused ones not counted).</summary>
    public int MaxConnectionsOpen => Volatile.Read(ref _maxConnectionsOpen);

    /// <summary>Connections closed on accept because the host's connection limit was reached.</summary>
    public long ConnectionsRefused => Interlocked.Read(ref _connectionsRefused);

    /// <summary>Counts a new connection; false (and counted as refused) when more than <paramref name="limit"/> would be open.</summary>
    internal bool TryOpenConnection(int? limit)
    {
        var now = Interlocked.Increment(ref _connectionsOpen);
        if (now > limit)
        {
            Interlocked.Decrement(ref _connectionsOpen);
            Interlocked.Increment(ref _connectionsRefused);
            return false;
        }

        RaiseMax(ref _maxConnectionsOpen, now);

        return true;
    }

    private static void RaiseMax(ref int max, int now)
    {
        int seen;
        while (now > (seen = Volatile.Read(ref max)) && Interlocked.CompareExchange(ref max, now, seen) != seen)
        {
        }
    }

    internal void CloseConnection() => Interlocked.Decrement(ref _connectionsOpen);

    internal void AddBytes(long n) => Interlocked.Add(ref _bytesSent, n);

    internal void CountBusy() => Interlocked.Increment(ref _rejectedBusy);

    internal void CountAuthFailure() => Interlocked.Increment(ref _authFailures);

    internal void CountSession() => Interlocked.Increment(ref _sessionsCreated);

    internal void CountFaultHit(FaultRule rule)
    {
        rule.CountHit();
        _faultHits.AddOrUpdate(rule.Id, 1, (_, n) => n + 1);
    }
}
