namespace EsxiImport.EsxiFuse.Startup;

/// <summary>A live mount. Disposing it unmounts (idempotent), also after a failure later in the startup.</summary>
public interface IMountedFileSystem : IAsyncDisposable
{
    string MountPath { get; }

    /// <summary>
    /// Stops serving without unmounting: the mount stays, dead, for its owner to unmount (what
    /// SIGTERM after ready does, as upstream). Disposing afterwards does nothing more.
    /// </summary>
    Task LeaveMountedAsync();
}
