namespace EsxiImport.EsxiFuse.Throughput;

/// <summary>
/// Reports the moves of a <see cref="ConcurrencyLimit"/> at most once per interval, so a host
/// that makes the limit move often cannot flood the log: moves within an interval are folded
/// into one report (from the limit of the last report to the newest one), written when the
/// interval is over, and the last one is written on <see cref="Dispose"/>. Nothing is lost
/// but the intermediate steps.
/// </summary>
public sealed class LimitLog : IDisposable
{
    private readonly Lock _lock = new();
    private readonly TimeSpan _interval;
    private readonly TimeProvider _clock;
    private readonly Action<LimitReport> _write;
    private long? _lastWritten;
    private LimitReport? _pending;
    private ITimer? _timer;

    public LimitLog(TimeSpan interval, Action<LimitReport> write, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(write);
        _interval = interval;
        _write = write;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The limit moved.</summary>
    public void Moved(LimitChange change)
    {
        lock (_lock)
        {
            _pending = _pending is { } p
                ? new LimitReport(p.From, change.To, change.Reason, p.Moves + 1)
                : new LimitReport(change.From, change.To, change.Reason, 1);
            var since = _lastWritten is { } last ? _clock.GetElapsedTime(last) : _interval;
            if (_timer is not null)
            {
                return;
            }

            if (since >= _interval)
            {
                WritePending();
            }
            else
            {
                _timer = _clock.CreateTimer(static s => ((LimitLog)s!).Flush(), this, _interval - since, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Writes what is still pending.</summary>
    public void Dispose() => Flush();

    private void Flush()
    {
        lock (_lock)
        {
            _timer?.Dispose();
            _timer = null;
            WritePending();
        }
    }

    /// <summary>Under the lock, so reports come out in the order the limit moved.</summary>
    private void WritePending()
    {
        if (_pending is { } report)
        {
            _pending = null;
            _lastWritten = _clock.GetTimestamp();
            _write(report);
        }
    }
}

/// <summary>The limit went from <paramref name="From"/> to <paramref name="To"/> in <paramref name="Moves"/> moves, the last one for <paramref name="Reason"/>.</summary>
public readonly record struct LimitReport(int From, int To, LimitReason Reason, int Moves);
