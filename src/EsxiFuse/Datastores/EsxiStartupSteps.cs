using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Caching;
using EsxiImport.EsxiFuse.Cli;
using EsxiImport.EsxiFuse.Esxi;
using EsxiImport.EsxiFuse.Startup;
using EsxiImport.Fuse.Connection;
using EsxiImport.Fuse.FileSystem;

using Serilog;

namespace EsxiImport.EsxiFuse.Datastores;

/// <summary>
/// The three plug points of the startup, for a real host: MOUNT the datastore tree through the
/// FUSE layer, CONNECT to the host's /folder API and log in once, SERVE until stopped while the
/// VMs of the manifest are checked in the background (or, with --strict, before ready).
/// One object, because the file system mounted first gets the connection made later.
/// <paramref name="tuning"/> shortens the client's time limits and retries (tests, reproductions).
/// </summary>
internal sealed class EsxiStartupSteps(FolderClientTuning tuning) : IMountStep, IHostConnector, IServeLoop
{
    /// <summary>VM checks run at most this many at a time, below the client's own request limit.</summary>
    private const int CheckConcurrency = 4;

    private EsxiFileSystem? _fileSystem;

    public async Task<IMountedFileSystem> MountAsync(MountRequest request, CancellationToken cancellationToken)
    {
        var fileSystem = new EsxiFileSystem(new RemoteTree(request.Manifest));
        var log = request.Log;
        if (request.Manifest.Datacenters.Values.All(dc => dc.Vms.Count == 0))
        {
            // What listvms writes for a host without an importable VM: mount it all the same.
            log.Information("{Text:l}", Messages.Text("esxi-folder-fuse.manifest.no-vms"));
        }

        var options = MountDefaults.Apply(new FuseMountOptions
        {
            AllowOther = request.Options.AllowOther,
            DefaultPermissions = true,
            MaxRead = request.Options.MaxRead is { } maxRead ? (uint)maxRead : null,

            // Mounted for the user the tool becomes, so that user may unmount it (fusermount3 -u)
            // after root is dropped, as it must on SIGTERM.
            UserId = request.UserId,
            GroupId = request.GroupId,
            DetachStaleMount = false,
        });
        if (request.Options.FsName is { } fsName)
        {
            options = options with { Source = fsName };
        }

        if (request.Options.Subtype is { } subtype)
        {
            options = options with { Subtype = subtype };
        }

        var fsOptions = new FileSystemOptions
        {
            NegativeEntryTimeout = EsxiFileSystem.MissingNameTimeout,
            Logger = (level, text, error) => log.Write(level.ToSerilog(), error, "{Text:l}", text),
        };
        try
        {
            var handle = await FileSystemMount.MountAsync(fileSystem, request.MountPath, fsOptions, options, cancellationToken).ConfigureAwait(false);
            _fileSystem = fileSystem;
            return new MountedFileSystem(handle);
        }
        catch (ToolError e)
        {
            throw ToolError.Wrap(e, "esxi-folder-fuse.mount.failed", ("path", DebugQuote.Of(request.MountPath)));
        }
    }

    public async Task<IHostConnection> ConnectAsync(ConnectRequest request, CancellationToken cancellationToken)
    {
        var fileSystem = _fileSystem ?? throw new InvalidOperationException("CONNECT before MOUNT");
        var client = new FolderClient(
            tuning.Apply(new FolderClientOptions
            {
                Host = request.Host,
                User = request.Credentials.User,
                Password = request.Credentials.Password,
                SkipCertificateVerification = request.SkipCertificateVerification,
                UseHttps = !TestSwitches.PlainHttp,
                MaxRequestsInFlight = request.MaxRequests ?? 4,
            }),
            request.Log);
        var cacheOptions = PageCacheOptions.FromUpstream(request.Cache.PageSize, request.Cache.PageCount);
        if (request.Cache.TotalBytes is { } total)
        {
            cacheOptions = cacheOptions with { BudgetBytes = total };
        }

        var connection = new HostConnection(client, new PageCache(client, cacheOptions, request.Log));
        try
        {
            try
            {
                await LoginCheck.RunAsync(client, request.Manifest, request.Host.Authority, request.Log, cancellationToken).ConfigureAwait(false);
            }
            catch (ToolError e)
            {
                throw ToolError.Wrap(e, "esxi-folder-fuse.connect.failed", ("host", request.Host.Authority));
            }

            // A broken VM is reported as what it is ("failed to check VM ..."), not as a
            // connection failure: the host answered.
            if (request.Strict)
            {
                await CheckAllAsync(fileSystem, client, request, strict: true, cancellationToken).ConfigureAwait(false);
            }

            // Only a connection that is kept is handed to the file system: requests that arrived
            // while connecting must not reach a client that a failed --strict check disposes.
            fileSystem.Connected(connection);
            return connection;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Requests that wait for the host (someone listed the mount while it was connecting)
            // get EIO now instead of holding up the unmount that follows.
            fileSystem.ConnectFailed(request.Host.Authority);
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task ServeAsync(IMountedFileSystem mount, IHostConnection session, ConnectRequest settings, CancellationToken stop)
    {
        var handle = ((MountedFileSystem)mount).Handle;
        var connection = (HostConnection)session;
        using var checks = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var background = settings.Strict
            ? Task.CompletedTask
            : Task.Run(() => CheckAllAsync(_fileSystem!, connection.Client, settings, strict: false, checks.Token), checks.Token);

        // Serve until a signal asks to stop or the kernel ends the session (unmounted from outside).
        await Task.WhenAny(handle.Completion, Task.Delay(Timeout.Infinite, stop)).ConfigureAwait(false);
        await checks.CancelAsync().ConfigureAwait(false);
        try
        {
            await background.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping: unfinished checks do not matter any more
        }
    }

    /// <summary>
    /// Checks every VM, at most <see cref="CheckConcurrency"/> at a time. Strict: the first broken
    /// VM ends the startup with its chain. Otherwise each broken VM is one warning with its chain.
    /// </summary>
    private static async Task CheckAllAsync(EsxiFileSystem fileSystem, FolderClient client, ConnectRequest request, bool strict, CancellationToken cancellationToken)
    {
        var checker = new VmChecker(request.Manifest, fileSystem.Tree, client);
        var vms = request.Manifest.Datacenters
            .SelectMany(dc => dc.Value.Vms.Select(vm => (Datacenter: dc.Key, Name: vm.Key, Vm: vm.Value)))
            .ToList();
        var broken = 0;
        await Parallel.ForEachAsync(
            vms,
            new ParallelOptions { MaxDegreeOfParallelism = CheckConcurrency, CancellationToken = cancellationToken },
            async (vm, ct) =>
            {
                try
                {
                    await checker.CheckAsync(vm.Datacenter, vm.Name, vm.Vm, ct).ConfigureAwait(false);
                }
                catch (ToolError e) when (!strict)
                {
                    Interlocked.Increment(ref broken);
                    request.Log.Warning("{Text:l}", string.Join("\n ", ErrorChain.Of(e)));
                }
            }).ConfigureAwait(false);
        request.Log.Information("{Text:l}", Messages.Format(
            "esxi-folder-fuse.vm.checked", ("count", vms.Count), ("broken", broken)));
    }

    /// <summary>The FUSE mount as the startup sees it; disposing unmounts.</summary>
    private sealed class MountedFileSystem(MountHandle handle) : IMountedFileSystem
    {
        public MountHandle Handle { get; } = handle;

        public string MountPath => Handle.MountPoint;

        public ValueTask DisposeAsync() => Handle.DisposeAsync();
    }
}
