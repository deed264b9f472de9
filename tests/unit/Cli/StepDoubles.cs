using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Startup;

namespace EsxiImport.UnitTests.Cli;

/// <summary>Test doubles for the MOUNT / CONNECT / SERVE plug points: they record what they got.</summary>
internal sealed class StepDoubles : IMountStep, IHostConnector, IServeLoop
{
    public Exception? ConnectFailure { get; init; }

    public MountRequest? MountedWith { get; private set; }

    public ConnectRequest? Connected { get; private set; }

    public bool Served { get; private set; }

    public MountedDouble? Mount { get; private set; }

    public Task<IMountedFileSystem> MountAsync(MountRequest request, CancellationToken cancellationToken)
    {
        MountedWith = request;
        Mount = new MountedDouble(request.MountPath);
        return Task.FromResult<IMountedFileSystem>(Mount);
    }

    public Task<IHostSession> ConnectAsync(ConnectRequest request, CancellationToken cancellationToken)
    {
        Connected = request;
        return ConnectFailure is { } e ? Task.FromException<IHostSession>(e) : Task.FromResult<IHostSession>(new Session());
    }

    public Task ServeAsync(IMountedFileSystem mount, IHostSession session, ConnectRequest settings, CancellationToken stop)
    {
        Served = true;
        return Task.CompletedTask;
    }

    public MountSteps Steps => new(this, this, this);

    internal sealed class MountedDouble(string path) : IMountedFileSystem
    {
        public string MountPath { get; } = path;

        public bool Unmounted { get; private set; }

        public ValueTask DisposeAsync()
        {
            Unmounted = true;
            return ValueTask.CompletedTask;
        }
    }

    private sealed class Session : IHostSession
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    public static ToolError LoginRefused() => ToolError.Of("esxi.http.authentication", ErrorKind.Authentication);
}