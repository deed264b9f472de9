namespace EsxiImport.EsxiFuse.Throughput;

/// <summary>
/// An async gate whose capacity follows a <see cref="ConcurrencyLimit"/>: requests enter (or
/// wait in order), leave with the bytes they moved, and report 503s. It cuts the completions
/// into measurement windows — at least <see cref="MinWindow"/> long and as many completions as
/// the limit — and feeds each to the limit, noting whether every slot was taken meanwhile.
/// When the limit drops below the requests already in flight, none is cancelled: new ones wait
/// until enough have left.
/// </summary>
public sealed class AdaptiveGate
{
    /// <summary>The shortest window: long enough to hold a few answers even on a fast host.</summary>
    public static readonly TimeSpan MinWindow = TimeSpan.FromMilliseconds(250);

    private readonly Lock _lock = new();
    private readonly ConcurrencyLimit _limit;
    private readonly TimeProvider _clock;
    private readonly Action<LimitChange>? _moved;
    private readonly long _origin;
    private readonly LinkedList<TaskCompletionSource<int>> _waiting = new();
    private int _inFlight;
    private TimeSpan _windowStart;
    private long _windowBytes;
    private double _windowSeconds;
    private int _windowCount;
    private bool _windowSaturated;

    public AdaptiveGate(ConcurrencyLimit limit, TimeProvider? clock = null, Action<LimitChange>? moved = null)
    {
        ArgumentNullException.ThrowIfNull(limit);
        _limit = limit;
        _clock = clock ?? TimeProvider.System;
        _moved = moved;
        _origin = _clock.GetTimestamp();
    }

    /// <summary>Requests that may be in flight now.</summary>
    public int Limit
    {
        get
        {
            lock (_lock)
            {
                return _limit.Limit;
            }
        }
    }

    /// <summary>Requests in flight now.</summary>
    public int InFlight
    {
        get
        {
            lock (_lock)
            {
                return _inFlight;
            }
        }
    }

    private TimeSpan Now => _clock.GetElapsedTime(_origin);

    /// <summary>Waits for a slot and returns the requests in flight with it (itself included); give it back with <see cref="Leave"/>.</summary>
    public async Task<int> EnterAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource<int> waiter;
        lock (_lock)
        {
            if (_waiting.Count == 0 && _inFlight < _limit.Limit)
            {
                return Take();
            }

            _windowSaturated = true;
            waiter = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.AddLast(waiter);
        }

        // The slot is handed over (and counted) by Admit, with the count it made.
        using (cancellationToken.Register(() => Cancel(waiter, cancellationToken)))
        {
            return await waiter.Task.ConfigureAwait(false);
        }
    }

    /// <summary>A request left: <paramref name="bytes"/> body bytes in <paramref name="elapsed"/> (0 bytes for one that failed).</summary>
    public void Leave(long bytes, TimeSpan elapsed)
    {
        LimitChange? change = null;
        lock (_lock)
        {
            _inFlight--;
            if (bytes > 0)
            {
                change = Account(bytes, elapsed);
            }

            Admit();
        }

        Report(change);
    }

    /// <summary>
    /// The host answered 503 to one of the requests in flight (call before its <see cref="Leave"/>).
    /// They are counted now, not when it entered: requests that entered after it may have reached
    /// the host first, so the host saw at most this many, and at least as many as refused it.
    /// True when the 503 was the price of our own probe (<see cref="ConcurrencyLimit.IsOwnProbe"/>):
    /// the limit is cut, and the request may go again at once.
    /// </summary>
    public bool Busy()
    {
        LimitChange? change;
        bool ours;
        lock (_lock)
        {
            ours = _limit.IsOwnProbe(_inFlight);
            change = _limit.OnBusy(_inFlight, Now);
            if (change is not null)
            {
                ResetWindow();
            }
        }

        Report(change);
        return ours;
    }

    private int Take()
    {
        _inFlight++;
        if (_inFlight >= _limit.Limit)
        {
            _windowSaturated = true;
        }

        return _inFlight;
    }

    private LimitChange? Account(long bytes, TimeSpan elapsed)
    {
        var now = Now;
        if (_windowCount == 0 && now - elapsed > _windowStart)
        {
            // Idle time before the window's first request is not the host's.
            _windowStart = now - elapsed;
        }

        _windowBytes += bytes;
        _windowSeconds += elapsed.TotalSeconds;
        _windowCount++;
        var length = now - _windowStart;
        if (_windowCount < _limit.Limit || length < MinWindow)
        {
            return null;
        }

        var change = _limit.OnWindow(_windowBytes / length.TotalSeconds, _windowSeconds / _windowBytes, _windowSaturated, now);
        ResetWindow();
        return change;
    }

    private void ResetWindow()
    {
        _windowBytes = 0;
        _windowSeconds = 0;
        _windowCount = 0;
        _windowSaturated = _inFlight >= _limit.Limit || _waiting.Count > 0;
        _windowStart = Now;
    }

    /// <summary>Hands free slots to waiters, in order (under the lock).</summary>
    private void Admit()
    {
        while (_waiting.First is { } first && _inFlight < _limit.Limit)
        {
            // Cancel removes a waiter under this lock too, so every waiter still listed takes its slot.
            _waiting.RemoveFirst();
            first.Value.SetResult(Take());
        }
    }

    private void Cancel(TaskCompletionSource<int> waiter, CancellationToken token)
    {
        lock (_lock)
        {
            if (_waiting.Remove(waiter))
            {
                waiter.TrySetCanceled(token);
            }
        }
    }

    private void Report(LimitChange? change)
    {
        if (change is { } c)
        {
            lock (_lock)
            {
                Admit();
            }

            _moved?.Invoke(c);
        }
    }
}
