using System.Diagnostics;

using EsxiImport.Diagnostics;

using Polly;
using Polly.Retry;

using Serilog;

namespace EsxiImport.EsxiFuse.Esxi;

/// <summary>What one client call (a lookup or a range read, with all its attempts) has been through so far.</summary>
internal sealed class CallState(RemotePath target, TimeSpan alreadyElapsed = default)
{
    private readonly long _started = Stopwatch.GetTimestamp();

    /// <summary>What the call is about; retry warnings name it.</summary>
    public RemotePath Target { get; } = target;

    /// <summary>Time since the call started (<c>alreadyElapsed</c> lets a test start a call late).</summary>
    public TimeSpan Elapsed => alreadyElapsed + Stopwatch.GetElapsedTime(_started);

    /// <summary>Attempts that ended in a timeout (no answer, too slow, too long).</summary>
    public int Timeouts { get; set; }

    /// <summary>The wait chosen for the retry being decided (between the predicate and the delay of one retry).</summary>
    public TimeSpan PlannedDelay { get; set; }
}

/// <summary>
/// The retry policy of a <see cref="FolderClient"/>, in one place: which failures are worth
/// another attempt, how many attempts each kind gets, how long to wait before the next one, and
/// the call's overall time limit. Throttling (503, 429) is waited out as upstream does — a fixed
/// 10 s between up to 5 attempts, at least 40 s in all; other transient failures get a short
/// exponential backoff with jitter; an attempt that timed out is repeated once.
/// </summary>
internal sealed class RetryPolicy
{
    private static readonly ResiliencePropertyKey<CallState> CallKey = new("esxi.call");

    private readonly FolderClientOptions _options;
    private readonly ILogger _log;
    private readonly FolderClientStatistics _statistics;
    private readonly ResiliencePipeline _pipeline;

    public RetryPolicy(FolderClientOptions options, ILogger log, FolderClientStatistics statistics)
    {
        _options = options;
        _log = log;
        _statistics = statistics;
        _pipeline = Build();
    }

    /// <summary>
    /// Failures a later attempt can cure: throttling, gateway and server errors, cut or refused
    /// connections, timeouts and answers that were not what the request asked for (wrong range,
    /// a size that contradicts the file's). A wrong password, a refused certificate, a missing
    /// file, a redirect, another client error or an unknown host name are final.
    /// </summary>
    public static bool IsRetryable(ToolError error) => error.Kind switch
    {
        ErrorKind.RateLimited or ErrorKind.Timeout or ErrorKind.Protocol => true,
        ErrorKind.Transport => error.MessageId is not ("esxi.http.name-resolution" or "esxi.http.tls-failed"),
        _ => false,
    };

    /// <summary>
    /// The wait before the next attempt after attempt number <paramref name="failedAttempts"/>
    /// (1-based) failed with <paramref name="error"/>, or null when the call gives up.
    /// </summary>
    public TimeSpan? NextDelay(ToolError error, int failedAttempts, CallState call)
    {
        if (!IsRetryable(error) || failedAttempts >= _options.MaxAttempts
            || (error.Kind == ErrorKind.Timeout && call.Timeouts >= _options.MaxTimeoutAttempts))
        {
            return null;
        }

        var delay = error.Kind == ErrorKind.RateLimited
            ? _options.RateLimitDelay * (1 + (0.05 * Random.Shared.NextDouble()))
            : Backoff(failedAttempts);
        return call.Elapsed + delay < _options.CallTimeout ? delay : null;
    }

    /// <summary>Runs <paramref name="attempt"/> until it succeeds or the policy gives up; the last failure is thrown.</summary>
    public async ValueTask<T> ExecuteAsync<T, TState>(
        CallState call, TState state, Func<CallState, TState, CancellationToken, ValueTask<T>> attempt, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(CallKey, call);
        try
        {
            return await _pipeline.ExecuteAsync(
                static (ctx, s) => s.Attempt(s.Call, s.State, ctx.CancellationToken),
                context,
                (Call: call, State: state, Attempt: attempt)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Today's short backoff: the base delay doubled per retry, capped, ±20 % jitter so readers do not retry in step.</summary>
    private TimeSpan Backoff(int failedAttempts)
    {
        var nominal = _options.RetryBaseDelay * Math.Pow(2, Math.Min(failedAttempts - 1, 30));
        var jittered = (nominal < _options.RetryMaxDelay ? nominal : _options.RetryMaxDelay) * (0.8 + (0.4 * Random.Shared.NextDouble()));
        return jittered < _options.RetryMaxDelay ? jittered : _options.RetryMaxDelay;
    }

    private ResiliencePipeline Build()
    {
        var builder = new ResiliencePipelineBuilder();
        if (_options.MaxAttempts <= 1)
        {
            return builder.Build();
        }

        return builder.AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = _options.MaxAttempts - 1,
            ShouldHandle = args =>
            {
                if (args.Outcome.Exception is not ToolError error)
                {
                    return ValueTask.FromResult(false);
                }

                var call = args.Context.Properties.GetValue(CallKey, null!);
                var delay = NextDelay(error, args.AttemptNumber + 1, call);
                call.PlannedDelay = delay ?? TimeSpan.Zero;
                return ValueTask.FromResult(delay is not null);
            },
            DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(args.Context.Properties.GetValue(CallKey, null!).PlannedDelay),
            OnRetry = args =>
            {
                _statistics.Retried();
                var error = (ToolError)args.Outcome.Exception!;

                // Numbered as upstream numbers them: the attempt that failed, "(1 of 5)" first.
                var failed = args.AttemptNumber + 1;
                var text = error.Kind == ErrorKind.RateLimited
                    ? Messages.Format("esxi.http.rate-limited-retrying", ("attempt", failed), ("attempts", _options.MaxAttempts))
                    : Messages.Format(
                        "esxi.http.retrying",
                        ("file", args.Context.Properties.GetValue(CallKey, null!).Target),
                        ("attempt", failed),
                        ("attempts", _options.MaxAttempts),
                        ("reason", string.Join(": ", error.Chain())));
                _log.Warning("{Text:l}", text);
                return default;
            },
        }).Build();
    }
}
