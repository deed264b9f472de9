using System.Globalization;
using System.Text;

using EsxiImport.Diagnostics;
using EsxiImport.Emulator.Datastore;
using EsxiImport.Emulator.Faults;

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace EsxiImport.Emulator.Http;

/// <summary>
/// <c>GET|HEAD /folder/&lt;path&gt;?dcPath=&lt;dc&gt;&amp;dsName=&lt;ds&gt;</c>: the datastore file API of
/// an ESXi host (see esxi-protocol notes, part A). Files are always <c>application/octet-stream</c>
/// with Content-Length, single byte ranges give 206 (end clipped to the end of file) or 416;
/// folders and the datacenter and datastore lists are HTML pages, with or without a trailing
/// slash. <c>/folder</c> itself without the slash — a form upstream never sends and no real host
/// is known to accept — is redirected (301) to <c>/folder/</c>, as govmomi's simulator does, so
/// the emulator is never more lenient than a host. Bodies are generated straight into Kestrel's pipe.
/// </summary>
internal sealed class FolderEndpoint(EmulatedDatastores datastores, FolderAuthenticator auth)
{
    /// <summary>Bytes generated per pipe write: big enough to keep TLS records full and syscalls few.</summary>
    private const int ChunkSize = 256 * 1024;

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            context.Response.Headers.Allow = "GET, HEAD";
            await RequestGate.WriteTextAsync(context, StatusCodes.Status405MethodNotAllowed, Messages.Text("emulator.http.method-not-allowed")).ConfigureAwait(false);
            return;
        }

        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value ?? "";
        if (raw == "/folder" || raw.StartsWith("/folder?", StringComparison.Ordinal))
        {
            await RedirectAsync(context, "/folder/" + raw["/folder".Length..]).ConfigureAwait(false);
            return;
        }

        var target = FolderTarget.Parse(raw, out var problem);
        if (target is null)
        {
            await RequestGate.WriteTextAsync(context, StatusCodes.Status400BadRequest, Messages.Format("emulator.http.bad-request", ("reason", problem))).ConfigureAwait(false);
            return;
        }

        if (!auth.Authenticate(context))
        {
            await WriteHtmlAsync(context, Messages.Text("emulator.http.unauthorized")).ConfigureAwait(false);
            return;
        }

        if (target.Datastore is null)
        {
            await ListDatacenterLevelAsync(context, target).ConfigureAwait(false);
            return;
        }

        var tree = datastores.Find(target.Datacenter ?? datastores.DefaultDatacenter, target.Datastore);
        switch (tree?.Find(target.Segments))
        {
            case DatastoreFile file:
                await ServeFileAsync(context, file).ConfigureAwait(false);
                break;
            case DatastoreFolder folder:
                await ListFolderAsync(context, target, folder).ConfigureAwait(false);
                break;
            default:
                await NotFoundAsync(context).ConfigureAwait(false);
                break;
        }
    }

    private async Task ListDatacenterLevelAsync(HttpContext context, FolderTarget target)
    {
        if (target.Segments.Count > 0)
        {
            await NotFoundAsync(context).ConfigureAwait(false);
            return;
        }

        if (target.Datacenter is null)
        {
            var rows = datastores.Datacenters.Select(dc => new DirectoryListing.Row(dc, "/folder/?dcPath=" + Uri.EscapeDataString(dc), null));
            await WriteHtmlAsync(context, DirectoryListing.Render("/folder", rows)).ConfigureAwait(false);
            return;
        }

        if (datastores.DatastoresOf(target.Datacenter) is not { } stores)
        {
            await NotFoundAsync(context).ConfigureAwait(false);
            return;
        }

        var dcQuery = "dcPath=" + Uri.EscapeDataString(target.Datacenter);
        var list = stores.Select(ds => new DirectoryListing.Row(ds, "/folder/?" + dcQuery + "&dsName=" + Uri.EscapeDataString(ds), null));
        await WriteHtmlAsync(context, DirectoryListing.Render(target.Datacenter, list)).ConfigureAwait(false);
    }

    private static Task ListFolderAsync(HttpContext context, FolderTarget target, DatastoreFolder folder)
    {
        var query = "?dcPath=" + Uri.EscapeDataString(target.Datacenter ?? "ha-datacenter") + "&dsName=" + Uri.EscapeDataString(target.Datastore!);
        var prefix = target.Path.Length == 0 ? "" : target.Path + "/";
        var rows = folder.Children.Select(child => new DirectoryListing.Row(
            child is DatastoreFolder ? child.Name + "/" : child.Name,
            "/folder/" + DirectoryListing.EncodePath(prefix + child.Name) + query,
            (child as DatastoreFile)?.Length));
        return WriteHtmlAsync(context, DirectoryListing.Render("[" + target.Datastore + "] " + target.Path, rows));
    }

    /// <summary>
    /// Serves a file, or — when a fault shapes this answer (<see cref="AnswerShaping"/>) — the
    /// answer of a host that believes the file is another size or that ignores the range.
    /// </summary>
    private static async Task ServeFileAsync(HttpContext context, DatastoreFile file)
    {
        var response = context.Response;
        var shaping = context.Features.Get<AnswerShaping>();
        var size = shaping?.Size is { } claimed ? Math.Min(claimed, file.Length) : file.Length;
        long start = 0;
        var end = size - 1;
        response.Headers.AcceptRanges = "bytes";
        if (shaping?.IgnoreRange != true
            && ByteRange.Parse(context.Request.Headers.Range.Count > 0 ? context.Request.Headers.Range.ToString() : null) is { } range)
        {
            if (range.Resolve(size) is not var (first, last))
            {
                response.Headers.ContentRange = "bytes */" + size.ToString(CultureInfo.InvariantCulture);
                await RequestGate.WriteTextAsync(context, StatusCodes.Status416RangeNotSatisfiable, Messages.Text("emulator.http.range-not-satisfiable")).ConfigureAwait(false);
                return;
            }

            (start, end) = (first, last);
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {start}-{end}/{size}");
        }
        else
        {
            response.StatusCode = StatusCodes.Status200OK;
        }

        var length = end - start + 1;
        response.ContentType = "application/octet-stream";
        response.ContentLength = length;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        await StreamAsync(context, file.Content, start, length).ConfigureAwait(false);
    }

    private static async Task StreamAsync(HttpContext context, FileContent content, long start, long length)
    {
        var writer = context.Response.BodyWriter;
        var entry = context.Features.Get<RequestLogEntry>();
        var shaped = context.Features.Get<IHttpResponseBodyFeature>() is StreamResponseBodyFeature;
        var ct = context.RequestAborted;
        var position = start;
        var remaining = length;
        while (remaining > 0)
        {
            var memory = writer.GetMemory((int)Math.Min(ChunkSize, remaining));
            var n = (int)Math.Min(Math.Min(memory.Length, ChunkSize), remaining);
            content.Read(position, memory.Span[..n]);
            writer.Advance(n);
            position += n;
            remaining -= n;

            // The shaping stream counts what it really sends; otherwise count what was handed to Kestrel.
            if (!shaped)
            {
                entry?.AddBytes(n);
            }

            var result = await writer.FlushAsync(ct).ConfigureAwait(false);
            if (result.IsCanceled || result.IsCompleted)
            {
                return;
            }
        }
    }

    /// <summary>A redirect as Go's net/http writes one: 301, Location, and a one-link HTML body.</summary>
    private static Task RedirectAsync(HttpContext context, string location)
    {
        context.Response.StatusCode = StatusCodes.Status301MovedPermanently;
        context.Response.Headers.Location = location;
        return WriteHtmlAsync(context, "<a href=\"" + System.Net.WebUtility.HtmlEncode(location) + "\">Moved Permanently</a>.\n\n");
    }

    private static Task NotFoundAsync(HttpContext context) =>
        RequestGate.WriteTextAsync(context, StatusCodes.Status404NotFound, Messages.Text("emulator.http.not-found"));

    private static async Task WriteHtmlAsync(HttpContext context, string html)
    {
        var body = Encoding.UTF8.GetBytes(html);
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
