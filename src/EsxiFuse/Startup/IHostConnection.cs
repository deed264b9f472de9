namespace EsxiImport.EsxiFuse.Startup;

/// <summary>The connection CONNECT made (an authenticated host client), opaque to the startup; disposed when the tool ends.</summary>
public interface IHostConnection : IAsyncDisposable
{
}
