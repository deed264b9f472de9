using System.Globalization;
using System.Net;

using EsxiImport.Diagnostics;

namespace EsxiImport.EsxiFuse.Esxi;

/// <summary>
/// Overrides of the client's time limits, retry budget and HTTP version from the environment, so
/// tests and people reproducing a report can make a hung host or a throttling host fail in a
/// second instead of minutes, or try HTTP/2 against a host. Unset variables keep the production defaults of <see cref="FolderClientOptions"/>.
/// Program.cs reads the environment once (<see cref="FromEnvironment"/>); a value that is not a
/// whole number fails the startup with the client's invalid-setting error, when the client is built.
/// </summary>
/// <param name="Values">Variable name → raw value, only for the variables that are set.</param>
public sealed record FolderClientTuning(IReadOnlyDictionary<string, string> Values)
{
    /// <summary>Milliseconds for TCP connect + TLS handshake (<see cref="FolderClientOptions.ConnectTimeout"/>).</summary>
    public const string ConnectTimeoutVariable = "ESXI_FUSE_CONNECT_TIMEOUT_MS";

    /// <summary>Milliseconds one request attempt may take (<see cref="FolderClientOptions.RequestTimeout"/>).</summary>
    public const string RequestTimeoutVariable = "ESXI_FUSE_REQUEST_TIMEOUT_MS";

    /// <summary>Attempts per call for transient failures (<see cref="FolderClientOptions.MaxAttempts"/>).</summary>
    public const string MaxAttemptsVariable = "ESXI_FUSE_MAX_ATTEMPTS";

    /// <summary>Milliseconds of the first backoff delay (<see cref="FolderClientOptions.RetryBaseDelay"/>).</summary>
    public const string RetryDelayVariable = "ESXI_FUSE_RETRY_DELAY_MS";

    /// <summary>HTTP version of the requests, <c>1.1</c> or <c>2</c> (<see cref="FolderClientOptions.HttpVersion"/>).</summary>
    public const string HttpVersionVariable = "ESXI_FUSE_HTTP_VERSION";

    private static readonly string[] Variables = [ConnectTimeoutVariable, RequestTimeoutVariable, MaxAttemptsVariable, RetryDelayVariable, HttpVersionVariable];

    /// <summary>No overrides: the production defaults.</summary>
    public static FolderClientTuning None { get; } = new(new Dictionary<string, string>());

    public static FolderClientTuning FromEnvironment() => new(Variables
        .Select(v => (Name: v, Value: Environment.GetEnvironmentVariable(v)))
        .Where(v => !string.IsNullOrEmpty(v.Value))
        .ToDictionary(v => v.Name, v => v.Value!, StringComparer.Ordinal));

    /// <summary>The options with every set variable applied.</summary>
    public FolderClientOptions Apply(FolderClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (Number(ConnectTimeoutVariable) is { } connect)
        {
            options = options with { ConnectTimeout = TimeSpan.FromMilliseconds(connect) };
        }

        if (Number(RequestTimeoutVariable) is { } request)
        {
            options = options with { RequestTimeout = TimeSpan.FromMilliseconds(request) };
        }

        if (Number(MaxAttemptsVariable) is { } attempts)
        {
            options = options with { MaxAttempts = attempts };
        }

        if (Number(RetryDelayVariable) is { } delay)
        {
            var baseDelay = TimeSpan.FromMilliseconds(delay);
            options = options with { RetryBaseDelay = baseDelay, RetryMaxDelay = baseDelay > options.RetryMaxDelay ? baseDelay : options.RetryMaxDelay };
        }

        if (Values.TryGetValue(HttpVersionVariable, out var version))
        {
            options = options with
            {
                HttpVersion = version switch
                {
                    "1.1" => HttpVersion.Version11,
                    "2" or "2.0" => HttpVersion.Version20,
                    _ => throw ToolError.Of("esxi.http.invalid-options", ErrorKind.InvalidInput, ("setting", HttpVersionVariable), ("value", version)),
                },
            };
        }

        return options;
    }

    private int? Number(string variable)
    {
        if (!Values.TryGetValue(variable, out var text))
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw ToolError.Of("esxi.http.invalid-options", ErrorKind.InvalidInput, ("setting", variable), ("value", text));
    }
}
