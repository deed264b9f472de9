using EsxiImport.EsxiFuse.Esxi;

using Serilog.Events;

namespace EsxiImport.EsxiFuse.Cli;

/// <summary>
/// The tool's parsed command line. Sizes and counts the user did not give are null, so the cache
/// and the HTTP client keep their own defaults in one place.
/// </summary>
public sealed record MountArguments
{
    public required HostAddress Host { get; init; }

    public required string ManifestPath { get; init; }

    public required string MountPath { get; init; }

    public required Credentials Credentials { get; init; }

    /// <summary>Every <c>-o</c> value split at commas, in the order given.</summary>
    public IReadOnlyList<string> MountOptions { get; init; } = [];

    public string? ChangeUser { get; init; }

    public string? ChangeGroup { get; init; }

    public int? ReadyFd { get; init; }

    public bool SkipCertificateVerification { get; init; }

    public long? CachePageSize { get; init; }

    public int? CachePageCount { get; init; }

    /// <summary>The cache's global memory budget in bytes (<c>--cache-size</c>).</summary>
    public long? CacheSize { get; init; }

    /// <summary>Requests in flight per host (<c>--max-requests</c>).</summary>
    public int? MaxRequests { get; init; }

    /// <summary>Check every VM of the manifest before signalling ready, and fail early on any problem.</summary>
    public bool Strict { get; init; }

    /// <summary>The <c>--password-file</c> given, kept to warn when others may read it.</summary>
    public string? PasswordFile { get; init; }

    public bool Debug { get; init; }

    /// <summary>The log level; null means logging is off (<c>--log-level off</c>).</summary>
    public LogEventLevel? LogLevel { get; init; } = LogEventLevel.Information;
}
