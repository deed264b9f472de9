namespace EsxiImport.Emulator.Pacing;

/// <summary>
/// A byte rate as a schedule: each reservation of n bytes is given the time by which they may
/// have been sent, <c>n / rate</c> after the previous reservation's end (or after now, when the
/// pacer has been idle). Because the schedule is absolute, a sender that oversleeps catches up
/// on its next reservation instead of losing the time, up to <see cref="Slack"/>: the most a
/// pacer ever lets through at once after an idle spell. So k bytes reserved back to back take
/// k / rate (± the timer's resolution on the last wait), which makes a benchmark on the
/// emulator repeat. Thread-safe: one pacer can be shared by every stream of a connection or of
/// the host.
/// </summary>
public sealed class BandwidthPacer
{
    private readonly Lock _lock = new();
    private long _nextTicks;
    private bool _started;

    /// <param name="bytesPerSecond">The rate (above 0).</param>
    /// <param name="slack">How far behind now the schedule may lag before idle time is forgotten.</param>
    public BandwidthPacer(long bytesPerSecond, TimeSpan slack)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytesPerSecond);
        ArgumentOutOfRangeException.ThrowIfLessThan(slack, TimeSpan.Zero);
        BytesPerSecond = bytesPerSecond;
        Slack = slack;
    }

    /// <summary>The slack a sender gets by default: enough to absorb a scheduler's late wake-ups.</summary>
    public static TimeSpan DefaultSlack { get; } = TimeSpan.FromMilliseconds(50);

    public long BytesPerSecond { get; }

    public TimeSpan Slack { get; }

    /// <summary>The time <paramref name="bytes"/> bytes take at this rate (rounded up to a tick).</summary>
    public TimeSpan Duration(long bytes) =>
        TimeSpan.FromTicks((long)(((Int128)bytes * TimeSpan.TicksPerSecond + BytesPerSecond - 1) / BytesPerSecond));

    /// <summary>
    /// Reserves <paramref name="bytes"/> at time <paramref name="now"/> (any monotonic clock) and
    /// returns when they may have been sent: the caller waits until then before sending them.
    /// </summary>
    public TimeSpan Reserve(long bytes, TimeSpan now)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        lock (_lock)
        {
            var floor = now.Ticks - Slack.Ticks;
            var start = _started ? Math.Max(_nextTicks, floor) : now.Ticks;
            _started = true;
            _nextTicks = start + Duration(bytes).Ticks;
            return TimeSpan.FromTicks(_nextTicks);
        }
    }
}
