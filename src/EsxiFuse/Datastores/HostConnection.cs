using EsxiImport.EsxiFuse.Caching;
using EsxiImport.EsxiFuse.Esxi;
using EsxiImport.EsxiFuse.Startup;

namespace EsxiImport.EsxiFuse.Datastores;

/// <summary>The authenticated host: the /folder client and the page cache in front of it.</summary>
internal sealed class HostConnection(FolderClient client, PageCache cache) : IHostConnection
{
    public FolderClient Client { get; } = client;

    public PageCache Cache { get; } = cache;

    public ValueTask DisposeAsync()
    {
        Cache.Dispose();
        Client.Dispose();
        return ValueTask.CompletedTask;
    }
}
