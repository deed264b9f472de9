using System.Globalization;
using System.Net;

using EsxiImport.Diagnostics;

namespace EsxiImport.EsxiFuse.Esxi;

/// <summary>
/// Ranged GETs. The answer must prove it carries exactly the bytes asked for: 206 with a
/// Content-Range that starts at the offset and ends at the last byte asked for or at the end of
/// the file; 200 only where the whole file was asked for; 416 is end of file (FB-30). Anything
/// else is retried and then fails — it is never handed out as data (FB-26).
/// </summary>
public sealed partial class FolderClient
{
    /// <summary>
    /// Reads the bytes at <paramref name="offset"/> into <paramref name="destination"/>, directly
    /// from the response body. Fewer bytes than asked only at end of file (0 at or after it).
    /// Errors carry the file and range; a 404 is NotFound.
    /// </summary>
    public ValueTask<RangeRead> ReadAsync(RemotePath file, long offset, Memory<byte> destination, CancellationToken cancellationToken = default) =>
        ReadAsync(file, offset, [destination], cancellationToken);

    /// <summary>
    /// Reads one range, starting at <paramref name="offset"/> and as long as
    /// <paramref name="destinations"/> together, filling them in order straight from the body:
    /// the cache fetches a run of pages with one request. Fewer bytes only at end of file.
    /// </summary>
    public async ValueTask<RangeRead> ReadAsync(RemotePath file, long offset, IReadOnlyList<Memory<byte>> destinations, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var target = new ScatterTarget(destinations);
        if (target.Length == 0)
        {
            return new RangeRead(0, null);
        }

        var last = offset + target.Length - 1;
        try
        {
            var request = new FolderRequest(HttpMethod.Get, FolderUrl.PathAndQuery(file), offset, last);
            var result = await SendAsync(request, (Offset: offset, Destination: target), InterpretRangeAsync, file, cancellationToken).ConfigureAwait(false);
            _statistics.Delivered(result.BytesRead);
            return result;
        }
        catch (ToolError e)
        {
            throw ToolError.Wrap(e, "esxi.file.read", ("file", file), ("first", offset), ("last", last));
        }
    }

    private static async ValueTask<RangeRead> InterpretRangeAsync(HttpResponseMessage response, (long Offset, ScatterTarget Destination) asked, CancellationToken cancellationToken)
    {
        var (offset, destination) = asked;
        var last = offset + destination.Length - 1;
        switch (response.StatusCode)
        {
            case HttpStatusCode.RequestedRangeNotSatisfiable:
                return new RangeRead(0, response.Content.Headers.ContentRange?.Length);

            case HttpStatusCode.PartialContent:
                {
                    ResponseChecks.RequireOctetStream(response);
                    var range = response.Content.Headers.ContentRange;
                    if (range is not { HasRange: true, From: long from, To: long to } || !string.Equals(range.Unit, "bytes", StringComparison.OrdinalIgnoreCase))
                    {
                        throw ToolError.Of("esxi.http.content-range-missing", ErrorKind.Protocol);
                    }

                    var total = range.Length;
                    var endsAtEof = total is long t && to == t - 1;
                    if (from != offset || to < from || to > last || (to < last && !endsAtEof) || (total is long size && to >= size))
                    {
                        throw ToolError.Of(
                            "esxi.http.content-range-mismatch",
                            ErrorKind.Protocol,
                            ("actual", string.Create(CultureInfo.InvariantCulture, $"{from}-{to}/{(total is long n ? n.ToString(CultureInfo.InvariantCulture) : "*")}")),
                            ("requested", string.Create(CultureInfo.InvariantCulture, $"{offset}-{last}")));
                    }

                    var count = (int)(to - from + 1);
                    ResponseChecks.RequireContentLength(response, count);
                    await ResponseChecks.ReadBodyExactlyAsync(response.Content, destination, count, cancellationToken).ConfigureAwait(false);
                    return new RangeRead(count, total);
                }

            case HttpStatusCode.OK:
                {
                    // A host that ignores Range answers with the whole file; that is the data only
                    // when the whole file was asked for, from byte 0 and fitting the buffer.
                    ResponseChecks.RequireOctetStream(response);
                    var requested = string.Create(CultureInfo.InvariantCulture, $"{offset}-{last}");
                    if (offset != 0 || response.Content.Headers.ContentLength > destination.Length)
                    {
                        throw ToolError.Of("esxi.http.whole-file-for-range", ErrorKind.Protocol, ("requested", requested));
                    }

                    if (response.Content.Headers.ContentLength is long length)
                    {
                        await ResponseChecks.ReadBodyExactlyAsync(response.Content, destination, (int)length, cancellationToken).ConfigureAwait(false);
                        return new RangeRead((int)length, length);
                    }

                    // No length announced (chunked): the body must end within the buffer.
                    var received = await ResponseChecks.ReadBodyUpToAsync(response.Content, destination, cancellationToken).ConfigureAwait(false);
                    return received is int whole
                        ? new RangeRead(whole, whole)
                        : throw ToolError.Of("esxi.http.whole-file-for-range", ErrorKind.Protocol, ("requested", requested));
                }

            default:
                throw ResponseChecks.StatusError(response);
        }
    }
}
