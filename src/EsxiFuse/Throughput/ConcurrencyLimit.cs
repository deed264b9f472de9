namespace EsxiImport.EsxiFuse.Throughput;

/// <summary>
/// How many /folder requests to keep in flight, learnt from the host (additive increase while
/// it pays, a cut on a 503 or a clear latency rise). A real host's speed is set per request
/// (hostd streams each answer slowly) and it answers 503 above some number in flight, so the
/// right number is "as many as still add throughput, and never one the host refuses":
/// <list type="bullet">
/// <item>Start at <see cref="Initial"/> (upstream's fixed number), never above the ceiling
/// (<c>--max-requests</c>) nor below 1.</item>
/// <item>Probe: after a measurement window that kept every slot busy, raise the limit — by half
/// of it at first (slow start: a per-request-limited host needs twice upstream's number and a
/// copy should not spend its first seconds climbing), by one after the first 503 or flat probe;
/// keep the raise of k from L when the next busy window moved at least k/(2·L) more bytes per
/// second (half of what k more streams add when each one has its own rate; three quarters for a
/// slow-start step, so a big step cannot overshoot a total cap by half), else go back to L
/// and wait <see cref="FlatHold"/> before probing again: a host with a total cap, or a machine
/// that is the bottleneck, stops the climb.</item>
/// <item>A 503 (<see cref="OnBusy"/>) with n requests in flight means the host takes at most
/// n − 1: the limit drops to that and stays there for <see cref="BusyHold"/> before a single
/// probe. A 503 of a request sent while the limit was higher (n above the limit now) was already
/// paid for and changes nothing, so one probe costs one cut. At a limit the host has been taking
/// (no probe pending), a lone 503 is not yet a cut: the host counts a request until its handler
/// ends, a moment after we have read the last byte and sent the next one, so now and then it sees
/// one more than we do (iscsi profile, 2 GiB: one or two such 503s in 600 requests, and the
/// second cut dropped qemu-img to 7 in flight for the rest of the read). A host whose real
/// limit is lower refuses again at once — the retry, the next request sent at full occupancy — so
/// the second 503 within <see cref="BusyConfirm"/> cuts.</item>
/// <item>A window whose time per byte is over <see cref="LatencyRise"/> times the best seen
/// cuts one and holds, down to upstream's number but not below it: the host is queueing the
/// requests we added. Time per byte also rises when the reads get small (random reads after a
/// sequential copy), which says nothing about the host; only a 503 takes the limit below 4.</item>
/// <item>A 503 of a request sent with more in flight than upstream's fixed number is the price of
/// our own probe (<see cref="IsOwnProbe"/>): upstream would not have sent it, so the client retries
/// it at once after the cut instead of waiting as for a busy host. Counting in flight from our side
/// is the only measure that holds: the host may count a request a little longer or shorter than
/// we do, so "the most that worked" is not known exactly.</item>
/// </list>
/// A pinned limit (<see cref="Pinned"/>) never moves: the fixed number upstream keeps.
/// Time is passed in, so the arithmetic is a pure state machine (property tests drive it).
/// </summary>
public sealed class ConcurrencyLimit
{
    /// <summary>Upstream's fixed number of requests in flight, where every mount starts.</summary>
    public const int Initial = 4;

    /// <summary>A window this many times slower per byte than the best one is a clear latency rise.</summary>
    public const double LatencyRise = 3.0;

    private double? _probeBase;
    private int _probeStep;
    private bool _slowStart = true;
    private double _bestSecondsPerByte = double.MaxValue;
    private TimeSpan _holdUntil = TimeSpan.MinValue;
    private TimeSpan? _lastSettledBusy;

    public ConcurrencyLimit(int ceiling, TimeSpan? busyHold = null, TimeSpan? flatHold = null, TimeSpan? busyConfirm = null)
        : this(ceiling, pinned: false, busyHold, flatHold, busyConfirm)
    {
    }

    private ConcurrencyLimit(int ceiling, bool pinned, TimeSpan? busyHold, TimeSpan? flatHold, TimeSpan? busyConfirm)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ceiling);
        Ceiling = ceiling;
        IsPinned = pinned;
        Limit = pinned ? ceiling : Math.Min(Initial, ceiling);
        BusyHold = busyHold ?? TimeSpan.FromSeconds(30);
        FlatHold = flatHold ?? TimeSpan.FromSeconds(10);
        BusyConfirm = busyConfirm ?? TimeSpan.FromSeconds(2);
    }

    /// <summary>A limit fixed at <paramref name="limit"/>: it ignores 503s and windows, as upstream's fixed number does.</summary>
    public static ConcurrencyLimit Pinned(int limit) => new(limit, pinned: true, null, null, null);

    /// <summary>True for a limit that never moves (<see cref="Pinned"/>).</summary>
    public bool IsPinned { get; }


    /// <summary>Requests that may be in flight now.</summary>
    public int Limit { get; private set; }

    /// <summary>The most requests ever in flight (<c>--max-requests</c>).</summary>
    public int Ceiling { get; }

    /// <summary>How long the limit stays put after a 503 before it probes again.</summary>
    public TimeSpan BusyHold { get; }

    /// <summary>How long the limit stays put after a probe that added nothing.</summary>
    public TimeSpan FlatHold { get; }

    /// <summary>At a limit the host has been taking, a 503 cuts only when another came within this time before it.</summary>
    public TimeSpan BusyConfirm { get; }

    /// <summary>
    /// The host answered 503 to a request sent with <paramref name="inFlight"/> requests in
    /// flight (itself included). Returns the change, or null when the limit stays.
    /// </summary>
    public LimitChange? OnBusy(int inFlight, TimeSpan now)
    {
        if (IsPinned)
        {
            return null;
        }

        _holdUntil = Max(_holdUntil, now + BusyHold);
        var probing = _probeBase is not null;
        _probeBase = null;
        if (inFlight > Limit)
        {
            return null;
        }

        // The 503 that ends a probe cuts at once and is not remembered: the first 503 at the level
        // it cut to is a lone one again.
        if (!probing)
        {
            var confirmed = _lastSettledBusy is { } last && now - last <= BusyConfirm;
            _lastSettledBusy = now;
            if (!confirmed)
            {
                return null;
            }
        }

        _slowStart = false;
        return Move(Math.Max(1, inFlight - 1), LimitReason.Busy);
    }

    /// <summary>
    /// One measurement window at the current limit ended: bytes per second over the window, the
    /// mean time per byte of its requests, and whether every slot was taken at some point
    /// (otherwise the reader, not the host, set the pace and the window teaches nothing).
    /// </summary>
    public LimitChange? OnWindow(double bytesPerSecond, double secondsPerByte, bool saturated, TimeSpan now)
    {
        if (IsPinned || !saturated || bytesPerSecond <= 0 || double.IsNaN(bytesPerSecond) || double.IsNaN(secondsPerByte))
        {
            return null;
        }

        if (_probeBase is { } before)
        {
            _probeBase = null;
            var from = Limit - _probeStep;
            if (bytesPerSecond < before * (1 + (_probeStep * (_probeStep > 1 ? 0.75 : 0.5) / from)))
            {
                _slowStart = false;
                _holdUntil = Max(_holdUntil, now + FlatHold);
                return Move(from, LimitReason.NoGain);
            }
        }

        if (secondsPerByte > 0 && secondsPerByte > _bestSecondsPerByte * LatencyRise && Limit > Math.Min(Initial, Ceiling))
        {
            _slowStart = false;
            _holdUntil = Max(_holdUntil, now + FlatHold);
            return Move(Limit - 1, LimitReason.Latency);
        }

        if (secondsPerByte > 0)
        {
            _bestSecondsPerByte = Math.Min(_bestSecondsPerByte, secondsPerByte);
        }

        if (now < _holdUntil || Limit >= Ceiling)
        {
            return null;
        }

        var change = Move(Limit + (_slowStart ? Math.Max(1, Limit / 2) : 1), LimitReason.Probe);
        _probeBase = bytesPerSecond;
        _probeStep = change!.Value.To - change.Value.From;
        return change;
    }

    /// <summary>
    /// True when a 503 of a request sent with <paramref name="inFlight"/> in flight (itself
    /// included) is the price of our own probing: upstream's fixed number would not have sent it.
    /// A pinned limit never probes.
    /// </summary>
    public bool IsOwnProbe(int inFlight) => !IsPinned && inFlight > Initial;

    private LimitChange? Move(int to, LimitReason reason)
    {
        to = Math.Clamp(to, 1, Ceiling);
        if (to == Limit)
        {
            return null;
        }

        var change = new LimitChange(Limit, to, reason);
        Limit = to;
        return change;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

/// <summary>Why the limit moved.</summary>
public enum LimitReason
{
    /// <summary>A busy window: one more request in flight is tried.</summary>
    Probe,

    /// <summary>The probe did not add throughput: back to the number before it.</summary>
    NoGain,

    /// <summary>The host answered 503.</summary>
    Busy,

    /// <summary>Time per byte rose clearly: the host queues our requests.</summary>
    Latency,
}

/// <summary>One move of the limit, for the debug log.</summary>
public readonly record struct LimitChange(int From, int To, LimitReason Reason);
