using System.Globalization;

using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Esxi;

namespace EsxiImport.EsxiFuse.Mount;

/// <summary>
/// Timeouts and retry pacing of the /folder client taken from the environment, read in this one
/// place. They are not command-line options because upstream has none and the plugin passes none;
/// they exist so tests and field diagnosis can make a hung or failing host fail fast
/// (README "Environment"). Unset variables keep the production defaults.
/// </summary>
internal static class HttpTuning
{
    public const string ConnectTimeoutVariable = "ESXI_FUSE_HTTP_CONNECT_TIMEOUT_MS";
    public const string RequestTimeoutVariable = "ESXI_FUSE_HTTP_REQUEST_TIMEOUT_MS";
    public const string AttemptsVariable = "ESXI_FUSE_HTTP_ATTEMPTS";
    public const string RetryDelayVariable = "ESXI_FUSE_HTTP_RETRY_DELAY_MS";
    public const string RetryMaxDelayVariable = "ESXI_FUSE_HTTP_RETRY_MAX_DELAY_MS";

    /// <summary>Applies the variables that are set; a malformed value is an early error naming it.</summary>
    public static FolderClientOptions Apply(FolderClientOptions options, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        if (Milliseconds(environment, ConnectTimeoutVariable) is { } connect)
        {
            options = options with { ConnectTimeout = connect };
        }

        if (Milliseconds(environment, RequestTimeoutVariable) is { } request)
        {
            options = options with { RequestTimeout = request };
        }

        if (Number(environment, AttemptsVariable) is { } attempts)
        {
            options = options with { MaxAttempts = (int)attempts };
        }

        if (Milliseconds(environment, RetryDelayVariable) is { } delay)
        {
            options = options with { RetryBaseDelay = delay };
        }

        if (Milliseconds(environment, RetryMaxDelayVariable) is { } maxDelay)
        {
            options = options with { RetryMaxDelay = maxDelay };
        }

        return options;
    }

    private static TimeSpan? Milliseconds(Func<string, string?> environment, string name) =>
        Number(environment, name) is { } ms ? TimeSpan.FromMilliseconds(ms) : null;

    private static long? Number(Func<string, string?> environment, string name)
    {
        if (environment(name) is not { Length: > 0 } text)
        {
            return null;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > int.MaxValue)
        {
            throw ToolError.Of("esxi-folder-fuse.env.invalid-number", ErrorKind.InvalidInput, ("name", name), ("value", text));
        }

        return value;
    }
}
