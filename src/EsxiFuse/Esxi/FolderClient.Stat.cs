using EsxiImport.Diagnostics;

namespace EsxiImport.EsxiFuse.Esxi;

/// <summary>HEAD requests: the start-up login check and file/directory lookups.</summary>
public sealed partial class FolderClient
{
    /// <summary>
    /// Proves in one request that the host is reachable, its certificate is trusted (unless
    /// skipped) and the credentials are valid: HEAD of the datastore's top directory. Errors:
    /// Authentication (401), Certificate, NotFound (no such datacenter or datastore), Transport,
    /// Timeout — each wrapped with the datastore and host.
    /// </summary>
    public async Task AuthenticateAsync(string datacenter, string datastore, CancellationToken cancellationToken = default)
    {
        var target = new RemotePath(datacenter, datastore, string.Empty);
        try
        {
            var request = new FolderRequest(HttpMethod.Head, FolderUrl.PathAndQuery(target));
            await SendAsync(request, 0, static (response, _, _) => response.IsSuccessStatusCode
                ? ValueTask.FromResult(0)
                : throw ResponseChecks.StatusError(response), target, cancellationToken).ConfigureAwait(false);
        }
        catch (ToolError e)
        {
            throw ToolError.Wrap(e, "esxi.datastore.access", ("datastore", datastore), ("datacenter", datacenter), ("host", _options.Host));
        }
    }

    /// <summary>
    /// Looks a path up with HEAD, as upstream tells them apart: an HTML page (the host's listing)
    /// is a directory; any other success with a Content-Length is a file of that size, whatever
    /// its type (ESXi says application/octet-stream, vcsim a type by extension). A 404 is a
    /// NotFound error (only a real 404: timeouts and server errors have their own kinds and must
    /// not be taken, or remembered, as "no such file").
    /// </summary>
    public async ValueTask<RemoteEntry> StatAsync(RemotePath target, CancellationToken cancellationToken = default)
    {
        try
        {
            var request = new FolderRequest(HttpMethod.Head, FolderUrl.PathAndQuery(target));
            return await SendAsync(request, 0, static (response, _, _) => ValueTask.FromResult(Interpret(response)), target, cancellationToken).ConfigureAwait(false);
        }
        catch (ToolError e)
        {
            throw ToolError.Wrap(e, "esxi.file.lookup", ("file", target));
        }
    }

    /// <summary>Shorthand for <see cref="StatAsync(RemotePath, CancellationToken)"/>.</summary>
    public ValueTask<RemoteEntry> StatAsync(string datacenter, string datastore, string path, CancellationToken cancellationToken = default) =>
        StatAsync(new RemotePath(datacenter, datastore, path), cancellationToken);

    private static RemoteEntry Interpret(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw ResponseChecks.StatusError(response);
        }

        if (ResponseChecks.IsHtml(response))
        {
            return new RemoteEntry(RemoteEntryKind.Directory, 0);
        }

        var length = response.Content.Headers.ContentLength
            ?? throw ToolError.Of("esxi.http.content-length-missing", ErrorKind.Protocol);
        return new RemoteEntry(RemoteEntryKind.File, length);
    }
}
