using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Startup;

namespace EsxiImport.UnitTests.Cli;

/// <summary>Test doubles for the MOUNT / CONNECT / SERVE plug points: they record what they got.</summary>
internal sealed class StepDoubles : IMountStep, IHostConnector, IServeLoop
{
    public Exception? ConnectFailure { get; init; }

    public Exception? UnmountFailure { get; init; }

    public MountRequest? MountedWith { get; private set; }

    public ConnectRequest? Connected { get; private set; }

    public bool Served { get; private set; }

    /// <summary>Connect until the token fires (a host that does not answer), signalling when connecting began.</summary>
    public TaskCompletionSource? ConnectUntilCancelled { get; init; }

    /// <summary>Serve until the stop token fires (as the real loop does), signalling when serving began.</summary>
    public TaskCompletionSource? ServeUntilStopped { get; init; }

    public MountedDouble? Mount { get; private set; }

    public Task<IMountedFileSystem> MountAsync(MountRequest request, CancellationToken cancellationToken)
    {
        MountedWith = request;
        Mount = new MountedDouble(request.MountPath, UnmountFailure);
        return Task.FromResult<IMountedFileSystem>(Mount);
    }

    public Task<IHostConnection> ConnectAsync(ConnectRequest request, CancellationToken cancellationToken)
    {
        Connected = request;
        if (ConnectUntilCancelled is { } connecting)
        {
            connecting.SetResult();
            return Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith<IHostConnection>(_ => throw new OperationCanceledException(cancellationToken), TaskScheduler.Default);
        }

        return ConnectFailure is { } e ? Task.FromException<IHostConnection>(e) : Task.FromResult<IHostConnection>(new Session());
    }

    public Task ServeAsync(IMountedFileSystem mount, IHostConnection session, ConnectRequest settings, CancellationToken stop)
    {
        Served = true;
        if (ServeUntilStopped is { } started)
        {
            started.SetResult();
            return Task.Delay(Timeout.Infinite, stop).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        return Task.CompletedTask;
    }

    public StartupSteps Steps => new(this, this, this);

    internal sealed class MountedDouble(string path, Exception? unmountFailure) : IMountedFileSystem
    {
        public string MountPath { get; } = path;

        public bool Unmounted { get; private set; }

        public bool LeftMounted { get; private set; }

        public Task LeaveMountedAsync()
        {
            LeftMounted = !Unmounted;
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            Unmounted = !LeftMounted;
            return unmountFailure is null ? ValueTask.CompletedTask : ValueTask.FromException(unmountFailure);
        }
    }

    private sealed class Session : IHostConnection
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    public static ToolError LoginRefused() => ToolError.Wrap(
        ToolError.Of("esxi.http.authentication", ErrorKind.Authentication),
        "esxi-folder-fuse.connect.failed",
        ("host", "h"));
}
