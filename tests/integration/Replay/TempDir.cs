namespace EsxiImport.IntegrationTests.Replay;

/// <summary>A temporary folder deleted with everything in it on dispose.</summary>
public sealed class TempDir(string prefix) : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
