using EsxiImport.Diagnostics;

using Polly;
using Polly.Retry;

namespace EsxiImport.EsxiFuse.Esxi;

/// <summary>The retry policy: which failures are worth another attempt, and how long to wait.</summary>
public sealed partial class FolderClient
{
    private static readonly ResiliencePropertyKey<RemotePath> TargetKey = new("esxi.target");

    /// <summary>
    /// Failures a later attempt can cure: throttling (503), gateway and server errors, cut or
    /// refused connections, timeouts and bodies that were not what the range promised. A wrong
    /// password, a refused certificate, a missing file or an unknown host name are final.
    /// </summary>
    internal static bool IsRetryable(ToolError error) => error.Kind switch
    {
        ErrorKind.RateLimited or ErrorKind.Timeout or ErrorKind.Protocol => true,
        ErrorKind.Transport => error.MessageId is not ("esxi.http.name-resolution" or "esxi.http.tls-failed"),
        _ => false,
    };

    private ResiliencePipeline BuildRetryPipeline()
    {
        var builder = new ResiliencePipelineBuilder();
        if (_options.MaxAttempts <= 1)
        {
            return builder.Build();
        }

        return builder.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<ToolError>(IsRetryable),
            MaxRetryAttempts = _options.MaxAttempts - 1,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = _options.RetryBaseDelay,
            MaxDelay = _options.RetryMaxDelay,
            OnRetry = args =>
            {
                _statistics.Retried();
                var error = (ToolError)args.Outcome.Exception!;
                var attempt = args.AttemptNumber + 2;
                var text = error.Kind == ErrorKind.RateLimited
                    ? Messages.Format("esxi.http.rate-limited-retrying", ("attempt", attempt), ("attempts", _options.MaxAttempts))
                    : Messages.Format(
                        "esxi.http.retrying",
                        ("file", args.Context.Properties.GetValue(TargetKey, default)),
                        ("attempt", attempt),
                        ("attempts", _options.MaxAttempts),
                        ("reason", string.Join(": ", error.Chain())));
                _log.Warning("{Text:l}", text);
                return default;
            },
        }).Build();
    }
}
