using EsxiImport.EsxiFuse.Cli;
using EsxiImport.EsxiFuse.Esxi;
using EsxiImport.VmxParser.Manifest;

using Serilog;

namespace EsxiImport.EsxiFuse.Startup;

/// <summary>What the MOUNT step gets: the checked mount path, the validated options, the manifest.</summary>
/// <param name="MountPath">An existing directory with no stale mount on it.</param>
/// <param name="Options">The validated <c>-o</c> options.</param>
/// <param name="Manifest">The parsed manifest (the tree's datacenters, datastores and VM files).</param>
/// <param name="Log">The tool's logger.</param>
/// <param name="UserId">The user the tool becomes after mounting (<c>--change-user</c>), or null to stay.</param>
/// <param name="GroupId">The group the tool becomes after mounting (<c>--change-group</c>), or null to stay.</param>
public sealed record MountRequest(string MountPath, MountOptionList Options, Manifest Manifest, ILogger Log, uint? UserId = null, uint? GroupId = null);

/// <summary>
/// MOUNT: opens /dev/fuse and mounts at the path, still as root. Throws <see cref="Diagnostics.ToolError"/>
/// with context <c>failed to mount fuse file system at "&lt;path&gt;"</c> on failure.
/// </summary>
public interface IMountStep
{
    Task<IMountedFileSystem> MountAsync(MountRequest request, CancellationToken cancellationToken);
}

/// <summary>A live mount. Disposing it unmounts (idempotent), also after a failure later in the startup.</summary>
public interface IMountedFileSystem : IAsyncDisposable
{
    string MountPath { get; }
}

/// <summary>What the CONNECT step gets, after privileges were dropped.</summary>
/// <param name="Host">Host and optional port; <see cref="HostAddress.Authority"/> goes into URLs.</param>
/// <param name="Credentials">User and password (the password never in logs).</param>
/// <param name="SkipCertificateVerification"><c>--skip-cert-verification</c>.</param>
/// <param name="Cache">The cache sizes the user gave (null: the cache's defaults).</param>
/// <param name="MaxRequests">Requests in flight per host (null: the client's default).</param>
/// <param name="Strict">With <c>--strict</c> every VM of the manifest is checked before this step returns.</param>
/// <param name="Manifest">The parsed manifest.</param>
/// <param name="Log">The tool's logger.</param>
public sealed record ConnectRequest(
    HostAddress Host,
    Credentials Credentials,
    bool SkipCertificateVerification,
    CacheSettings Cache,
    int? MaxRequests,
    bool Strict,
    Manifest Manifest,
    ILogger Log);

/// <summary>Cache sizes from the command line; null where the user gave none.</summary>
public sealed record CacheSettings(long? PageSize, int? PageCount, long? TotalBytes);

/// <summary>
/// CONNECT + AUTHENTICATE: builds the HTTP client and logs in once; login, certificate, refused
/// connection, DNS and timeout failures are thrown here and become early errors.
/// </summary>
public interface IHostConnector
{
    Task<IHostSession> ConnectAsync(ConnectRequest request, CancellationToken cancellationToken);
}

/// <summary>An authenticated host client, opaque to the startup; disposed when the tool ends.</summary>
public interface IHostSession : IAsyncDisposable
{
}

/// <summary>
/// SERVE: answers FUSE requests from the mount through the session until
/// <paramref name="stop"/> fires (SIGTERM/SIGINT) or the kernel ends the session (unmounted from
/// outside). Background per-VM checks (without <c>--strict</c>) run from here.
/// </summary>
public interface IServeLoop
{
    Task ServeAsync(IMountedFileSystem mount, IHostSession session, ConnectRequest settings, CancellationToken stop);
}

/// <summary>The three plug points, supplied by Program.cs.</summary>
public sealed record MountSteps(IMountStep Mount, IHostConnector Connector, IServeLoop Serve);
