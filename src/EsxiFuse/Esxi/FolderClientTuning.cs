using System.Globalization;
using System.Net;

using EsxiImport.Diagnostics;

namespace EsxiImport.EsxiFuse.Esxi;

/// <summary>
/// Overrides of the client's time limits, transfer rate, retry budget and HTTP version from the
/// environment, so tests and people reproducing a report can make a hung, trickling or
/// throttling host fail in a second instead of minutes, or try HTTP/2 against a host. Unset
/// variables keep the production defaults of <see cref="FolderClientOptions"/>; this is the one
/// place where the variables are named (README, "Environment"). Program.cs reads the environment
/// once (<see cref="FromEnvironment"/>); a value that is not a whole number fails the startup
/// with the client's invalid-setting error, when the client is built.
/// </summary>
/// <param name="Values">Variable name → raw value, only for the variables that are set.</param>
public sealed record FolderClientTuning(IReadOnlyDictionary<string, string> Values)
{
    /// <summary>Milliseconds for TCP connect + TLS handshake (<see cref="FolderClientOptions.ConnectTimeout"/>).</summary>
    public const string ConnectTimeoutVariable = "ESXI_FUSE_CONNECT_TIMEOUT_MS";

    /// <summary>Milliseconds one request attempt may take (<see cref="FolderClientOptions.RequestTimeout"/>).</summary>
    public const string RequestTimeoutVariable = "ESXI_FUSE_REQUEST_TIMEOUT_MS";

    /// <summary>Bytes per second an attempt must keep up (<see cref="FolderClientOptions.SpeedLimit"/>).</summary>
    public const string SpeedLimitVariable = "ESXI_FUSE_SPEED_LIMIT";

    /// <summary>Milliseconds over which the speed limit is averaged (<see cref="FolderClientOptions.SpeedTime"/>).</summary>
    public const string SpeedTimeVariable = "ESXI_FUSE_SPEED_TIME_MS";

    /// <summary>Milliseconds one call may take, retries included (<see cref="FolderClientOptions.CallTimeout"/>).</summary>
    public const string CallTimeoutVariable = "ESXI_FUSE_CALL_TIMEOUT_MS";

    /// <summary>Attempts per call for transient failures (<see cref="FolderClientOptions.MaxAttempts"/>).</summary>
    public const string MaxAttemptsVariable = "ESXI_FUSE_MAX_ATTEMPTS";

    /// <summary>Milliseconds of the first backoff delay (<see cref="FolderClientOptions.RetryBaseDelay"/>).</summary>
    public const string RetryDelayVariable = "ESXI_FUSE_RETRY_DELAY_MS";

    /// <summary>Milliseconds to wait after a 503 or 429 (<see cref="FolderClientOptions.RateLimitDelay"/>).</summary>
    public const string RateLimitDelayVariable = "ESXI_FUSE_RATE_LIMIT_DELAY_MS";

    /// <summary>HTTP version of the requests, <c>1.1</c> or <c>2</c> (<see cref="FolderClientOptions.HttpVersion"/>).</summary>
    public const string HttpVersionVariable = "ESXI_FUSE_HTTP_VERSION";

    /// <summary>The whole-number variables and what each sets.</summary>
    private static readonly (string Variable, Func<FolderClientOptions, long, FolderClientOptions> Apply)[] Numbers =
    [
        (ConnectTimeoutVariable, (o, n) => o with { ConnectTimeout = Milliseconds(n) }),
        (RequestTimeoutVariable, (o, n) => o with { RequestTimeout = Milliseconds(n) }),
        (SpeedLimitVariable, (o, n) => o with { SpeedLimit = n }),
        (SpeedTimeVariable, (o, n) => o with { SpeedTime = Milliseconds(n) }),
        (CallTimeoutVariable, (o, n) => o with { CallTimeout = Milliseconds(n) }),
        (MaxAttemptsVariable, (o, n) => o with { MaxAttempts = (int)Math.Min(n, int.MaxValue) }),
        (RetryDelayVariable, (o, n) => o with
        {
            RetryBaseDelay = Milliseconds(n),
            RetryMaxDelay = Milliseconds(n) > o.RetryMaxDelay ? Milliseconds(n) : o.RetryMaxDelay,
        }),
        (RateLimitDelayVariable, (o, n) => o with { RateLimitDelay = Milliseconds(n) }),
    ];

    /// <summary>No overrides: the production defaults.</summary>
    public static FolderClientTuning None { get; } = new(new Dictionary<string, string>());

    /// <summary>Every variable this tuning reads, in the order README lists them.</summary>
    public static IReadOnlyList<string> Variables { get; } = [.. Numbers.Select(n => n.Variable), HttpVersionVariable];

    public static FolderClientTuning FromEnvironment() => new(Variables
        .Select(v => (Name: v, Value: Environment.GetEnvironmentVariable(v)))
        .Where(v => !string.IsNullOrEmpty(v.Value))
        .ToDictionary(v => v.Name, v => v.Value!, StringComparer.Ordinal));

    /// <summary>The options with every set variable applied.</summary>
    public FolderClientOptions Apply(FolderClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (variable, apply) in Numbers)
        {
            if (Number(variable) is { } n)
            {
                options = apply(options, n);
            }
        }

        if (Values.TryGetValue(HttpVersionVariable, out var version))
        {
            options = options with
            {
                HttpVersion = version switch
                {
                    "1.1" => HttpVersion.Version11,
                    "2" or "2.0" => HttpVersion.Version20,
                    _ => throw Invalid(HttpVersionVariable, version),
                },
            };
        }

        return options;
    }

    private static TimeSpan Milliseconds(long n) => TimeSpan.FromMilliseconds(n);

    private static ToolError Invalid(string variable, string value) =>
        ToolError.Of("esxi.http.invalid-options", ErrorKind.InvalidInput, ("setting", variable), ("value", value));

    private long? Number(string variable)
    {
        if (!Values.TryGetValue(variable, out var text))
        {
            return null;
        }

        // Capped at int.MaxValue (24 days in milliseconds): more than any limit needs, so larger is a typo.
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= int.MaxValue
            ? n
            : throw Invalid(variable, text);
    }
}
