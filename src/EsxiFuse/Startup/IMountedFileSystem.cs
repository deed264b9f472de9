namespace EsxiImport.EsxiFuse.Startup;

/// <summary>A live mount. Disposing it unmounts (idempotent), also after a failure later in the startup.</summary>
public interface IMountedFileSystem : IAsyncDisposable
{
    string MountPath { get; }
}
