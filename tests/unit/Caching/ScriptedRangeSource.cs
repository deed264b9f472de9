using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Esxi;

namespace EsxiImport.UnitTests.Caching;

/// <summary>
/// An in-memory file behind <see cref="IRangeReader"/>: counts fetches per offset, can hold every
/// fetch until released (to line readers up on one page), and can fail chosen fetches.
/// </summary>
public sealed class ScriptedRangeSource(byte[] content) : IRangeReader
{
    private readonly List<(long Offset, int Length)> _requests = [];
    private readonly Lock _gate = new();
    private readonly Dictionary<long, int> _fetches = [];
    private TaskCompletionSource _release = CompletedRelease();
    private int _inFlight;
    private int _peakInFlight;

    public byte[] Content { get; } = content;

    /// <summary>Decides per fetch (n = how many fetches came before) whether it fails.</summary>
    public Func<int, bool> Fail { get; set; } = _ => false;

    /// <summary>Time each fetch takes, so fetches overlap as they do over a network.</summary>
    public TimeSpan Latency { get; set; }

    public int TotalFetches { get; private set; }

    /// <summary>Every request as (offset, bytes asked), in arrival order.</summary>
    public IReadOnlyList<(long Offset, int Length)> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public int PeakInFlight => Volatile.Read(ref _peakInFlight);

    public int FetchesAt(long offset)
    {
        lock (_gate)
        {
            return _fetches.GetValueOrDefault(offset);
        }
    }

    /// <summary>From now on fetches wait until <see cref="Release"/>.</summary>
    public void Hold()
    {
        lock (_gate)
        {
            _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Release()
    {
        lock (_gate)
        {
            _release.TrySetResult();
        }
    }

    public async ValueTask<int> ReadAsync(RemotePath file, long fileSize, long offset, IReadOnlyList<Memory<byte>> destinations, CancellationToken cancellationToken)
    {
        fileSize.Should().Be(Content.Length, "the cache passes on the size its caller gave");
        Task release;
        int n;
        lock (_gate)
        {
            _fetches[offset] = _fetches.GetValueOrDefault(offset) + 1;
            _requests.Add((offset, destinations.Sum(d => d.Length)));
            n = TotalFetches++;
            release = _release.Task;
        }

        var now = Interlocked.Increment(ref _inFlight);
        InterlockedMax(ref _peakInFlight, now);
        try
        {
            await release.WaitAsync(cancellationToken);
            await Task.Yield();
            if (Latency > TimeSpan.Zero)
            {
                await Task.Delay(Latency, cancellationToken);
            }

            if (Fail(n))
            {
                throw ToolError.Of("esxi.http.status", ErrorKind.Transport, ("status", "500 Internal Server Error"));
            }

            if (offset >= Content.Length)
            {
                return 0;
            }

            var count = 0;
            foreach (var destination in destinations)
            {
                var part = (int)Math.Min(destination.Length, Content.Length - offset - count);
                Content.AsSpan((int)offset + count, part).CopyTo(destination.Span);
                count += part;
            }

            return count;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static TaskCompletionSource CompletedRelease()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
            {
                return;
            }
        }
    }
}
