using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Cli;
using EsxiImport.EsxiFuse.Startup;

// esxi-folder-fuse: mounts an ESXi host's datastores read-only over its /folder HTTP API.
// The startup (arguments, manifest, accounts, stale mount, privileges, ready fd, early errors)
// is MountTool; the FUSE mount, the host connection and the serve loop are its plug points.
var steps = new MountSteps(new NotWired(), new NotWired(), new NotWired());
return await new MountTool(steps, ToolEnvironment.FromProcess())
    .RunAsync(ProgramName.FromProcess(), args);

/// <summary>
/// Stands in for the FUSE mount, the host connection and the serve loop until their
/// implementations are wired here; it fails the startup with a clear early error.
/// </summary>
internal sealed class NotWired : IMountStep, IHostConnector, IServeLoop
{
    public Task<IMountedFileSystem> MountAsync(MountRequest request, CancellationToken cancellationToken) =>
        throw ToolError.Wrap(
            ToolError.Of("esxi-folder-fuse.startup.not-wired", ErrorKind.General, ("step", "mount")),
            "esxi-folder-fuse.mount.failed",
            ("path", DebugQuote.Of(request.MountPath)));

    public Task<IHostSession> ConnectAsync(ConnectRequest request, CancellationToken cancellationToken) =>
        throw ToolError.Of("esxi-folder-fuse.startup.not-wired", ErrorKind.General, ("step", "connect"));

    public Task ServeAsync(IMountedFileSystem mount, IHostSession session, ConnectRequest settings, CancellationToken stop) =>
        throw ToolError.Of("esxi-folder-fuse.startup.not-wired", ErrorKind.General, ("step", "serve"));
}