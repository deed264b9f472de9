using System.Diagnostics;
using System.Globalization;

using EsxiImport.Diagnostics;

namespace EsxiImport.EsxiFuse.Esxi;

/// <summary>
/// The time limits of one attempt: its own limit (the request timeout, or what is left of the
/// call's time when that is less) and a minimum transfer rate, checked like curl's
/// <c>--speed-limit</c>/<c>--speed-time</c>: in every period of <c>speedTime</c> at least
/// <c>speedLimit</c> bytes per second must arrive, and at least one byte. The wait for the
/// answer is the first period, so a host that accepts a request and says nothing fails after one
/// period, and a host that trickles fails after one period of trickling, not after the request
/// timeout. Whatever ends the attempt, <see cref="Token"/> is cancelled and
/// <see cref="TimeoutError"/> says which limit it was.
/// </summary>
internal sealed class TransferWatch : IDisposable
{
    private readonly CancellationTokenSource _limit;
    private readonly CancellationTokenSource _attempt;
    private readonly Timer _timer;
    private readonly Lock _gate = new();
    private readonly long _speedLimit;
    private readonly TimeSpan _speedTime;
    private readonly TimeSpan _attemptLimit;
    private readonly TimeSpan? _callTimeout;
    private long _bytes;
    private long _periodStart = Stopwatch.GetTimestamp();
    private long _periodBytes;
    private int _answered;
    private (long Bytes, bool Answered)? _tooSlow;

    /// <param name="caller">The caller's token: cancelling it cancels the attempt (and is not a timeout).</param>
    /// <param name="attemptLimit">The most time the attempt may take.</param>
    /// <param name="callTimeout">The call's whole limit when <paramref name="attemptLimit"/> is what is left of it, else null.</param>
    /// <param name="speedLimit">Bytes per second that must arrive, averaged over each period.</param>
    /// <param name="speedTime">The period.</param>
    public TransferWatch(CancellationToken caller, TimeSpan attemptLimit, TimeSpan? callTimeout, long speedLimit, TimeSpan speedTime)
    {
        _attemptLimit = attemptLimit;
        _callTimeout = callTimeout;
        _speedLimit = speedLimit;
        _speedTime = speedTime;
        _limit = new CancellationTokenSource(attemptLimit);
        _attempt = CancellationTokenSource.CreateLinkedTokenSource(caller, _limit.Token);
        var tick = speedTime / 4 > TimeSpan.FromMilliseconds(1) ? speedTime / 4 : TimeSpan.FromMilliseconds(1);
        _timer = new Timer(static s => ((TransferWatch)s!).Check(), this, tick, tick);
    }

    /// <summary>Cancelled when the caller gives up or a limit of the attempt is reached.</summary>
    public CancellationToken Token => _attempt.Token;

    /// <summary>The answer's headers arrived: the wait is over and the first transfer period starts.</summary>
    public void Answered()
    {
        lock (_gate)
        {
            _answered = 1;
            _periodStart = Stopwatch.GetTimestamp();
            _periodBytes = Interlocked.Read(ref _bytes);
        }
    }

    /// <summary>Counts body bytes that arrived.</summary>
    public void Received(int count) => Interlocked.Add(ref _bytes, count);

    /// <summary>
    /// The error for an attempt that ended without the caller cancelling: the speed limit, the
    /// call's time, the attempt's own time, or (none of them fired) the connect timeout of the
    /// HTTP handler.
    /// </summary>
    public ToolError TimeoutError(TimeSpan connectTimeout)
    {
        lock (_gate)
        {
            if (_tooSlow is var (bytes, answered))
            {
                return answered
                    ? ToolError.Of("esxi.http.too-slow", ErrorKind.Timeout, ("bytes", bytes), ("seconds", Seconds(_speedTime)), ("limit", _speedLimit))
                    : ToolError.Of("esxi.http.no-answer", ErrorKind.Timeout, ("seconds", Seconds(_speedTime)));
            }
        }

        if (!_limit.IsCancellationRequested)
        {
            return ToolError.Of("esxi.http.timeout", ErrorKind.Timeout, ("seconds", Seconds(connectTimeout)));
        }

        return _callTimeout is { } call
            ? ToolError.Of("esxi.http.call-timeout", ErrorKind.Timeout, ("seconds", Seconds(call)))
            : ToolError.Of("esxi.http.timeout", ErrorKind.Timeout, ("seconds", Seconds(_attemptLimit)));
    }

    public void Dispose()
    {
        _timer.Dispose();
        _attempt.Dispose();
        _limit.Dispose();
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    private void Check()
    {
        lock (_gate)
        {
            if (_tooSlow is not null)
            {
                return;
            }

            var elapsed = Stopwatch.GetElapsedTime(_periodStart);
            if (elapsed < _speedTime)
            {
                return;
            }

            var bytes = Interlocked.Read(ref _bytes) - _periodBytes;
            if (bytes >= Math.Max(1, (long)(_speedLimit * elapsed.TotalSeconds)))
            {
                _periodStart = Stopwatch.GetTimestamp();
                _periodBytes += bytes;
                return;
            }

            _tooSlow = (bytes, _answered != 0);
        }

        try
        {
            _attempt.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The attempt ended between the check and here.
        }
    }
}
