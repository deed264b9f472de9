using System.Globalization;
using System.Net;

using EsxiImport.Diagnostics;

namespace EsxiImport.EsxiFuse.Esxi;

/// <summary>
/// Ranged GETs of a file whose size is known (from HEAD): the size is a fact, and an answer that
/// contradicts it is a failed attempt, never news. The answer must prove it carries exactly the
/// bytes asked for: 206 with a Content-Range of exactly the asked bytes and the file's size; 200
/// only where the whole file was asked for, with exactly the file's size. A 416 inside the file,
/// a smaller or larger total, a short body — each is retried and then fails; none is ever handed
/// out as data or as an end of file (FB-26, FB-30).
/// </summary>
public sealed partial class FolderClient
{
    /// <summary>
    /// Reads the bytes of a file of <paramref name="fileSize"/> bytes at <paramref name="offset"/>
    /// into <paramref name="destination"/>, directly from the response body.
    /// </summary>
    public ValueTask<int> ReadAsync(RemotePath file, long fileSize, long offset, Memory<byte> destination, CancellationToken cancellationToken = default) =>
        ReadAsync(file, fileSize, offset, [destination], cancellationToken);

    /// <summary>
    /// Reads one range of a file of <paramref name="fileSize"/> bytes, starting at
    /// <paramref name="offset"/> and as long as <paramref name="destinations"/> together unless
    /// the file ends first, filling them in order straight from the body: the cache fetches a run
    /// of pages with one request. Returns the bytes read, all of them: fewer than the
    /// destinations hold only where the file ends; 0 at or after the end, without a request.
    /// Errors carry the file and range; a 404 is NotFound.
    /// </summary>
    public async ValueTask<int> ReadAsync(RemotePath file, long fileSize, long offset, IReadOnlyList<Memory<byte>> destinations, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(fileSize);
        var target = new ScatterTarget(destinations);
        if (target.Length == 0 || offset >= fileSize)
        {
            return 0;
        }

        var count = (int)Math.Min(target.Length, fileSize - offset);
        var last = offset + count - 1;
        try
        {
            var request = new FolderRequest(HttpMethod.Get, FolderUrl.PathAndQuery(file), offset, last);
            var asked = new AskedRange(offset, count, fileSize, target);
            var read = await SendAsync(request, asked, InterpretRangeAsync, file, cancellationToken).ConfigureAwait(false);
            _statistics.Delivered(read);
            return read;
        }
        catch (ToolError e)
        {
            throw ToolError.Wrap(e, "esxi.file.read", ("file", file), ("first", offset), ("last", last));
        }
    }

    private static async ValueTask<int> InterpretRangeAsync(HttpResponseMessage response, AskedRange asked, TransferWatch watch)
    {
        switch (response.StatusCode)
        {
            case HttpStatusCode.RequestedRangeNotSatisfiable:
                // Only ever asked for bytes inside the file: the host contradicts the size it gave.
                throw ToolError.Of("esxi.http.range-refused", ErrorKind.Protocol, ("requested", asked.Text), ("size", asked.FileSize));

            case HttpStatusCode.PartialContent:
                {
                    ResponseChecks.RequireFileData(response);
                    var range = response.Content.Headers.ContentRange;
                    if (range is not { HasRange: true, From: long from, To: long to } || !string.Equals(range.Unit, "bytes", StringComparison.OrdinalIgnoreCase))
                    {
                        throw ToolError.Of("esxi.http.content-range-missing", ErrorKind.Protocol);
                    }

                    if (range.Length is long total && total != asked.FileSize)
                    {
                        throw SizeMismatch(total, asked);
                    }

                    if (from != asked.Offset || to != asked.Last)
                    {
                        throw ToolError.Of(
                            "esxi.http.content-range-mismatch",
                            ErrorKind.Protocol,
                            ("actual", string.Create(CultureInfo.InvariantCulture, $"{from}-{to}/{(range.Length is long n ? n.ToString(CultureInfo.InvariantCulture) : "*")}")),
                            ("requested", asked.Text));
                    }

                    await ResponseChecks.ReadBodyExactlyAsync(response, asked.Destination, asked.Count, watch).ConfigureAwait(false);
                    return asked.Count;
                }

            case HttpStatusCode.OK:
                {
                    // A host that ignores Range answers with the whole file; that is the data only
                    // when the whole file was asked for, and only with the file's size.
                    ResponseChecks.RequireFileData(response);
                    if (asked.Offset != 0 || asked.Count != asked.FileSize)
                    {
                        throw ToolError.Of("esxi.http.whole-file-for-range", ErrorKind.Protocol, ("requested", asked.Text));
                    }

                    if (response.Content.Headers.ContentLength is long length && length != asked.FileSize)
                    {
                        throw SizeMismatch(length, asked);
                    }

                    await ResponseChecks.ReadBodyExactlyAsync(response, asked.Destination, asked.Count, watch).ConfigureAwait(false);
                    return asked.Count;
                }

            default:
                throw ResponseChecks.StatusError(response);
        }
    }

    private static ToolError SizeMismatch(long reported, AskedRange asked) =>
        ToolError.Of("esxi.http.size-mismatch", ErrorKind.Protocol, ("reported", reported), ("size", asked.FileSize), ("requested", asked.Text));

    /// <summary>One range read: where it starts, how many bytes it must bring, the file's size, and where the bytes go.</summary>
    private readonly record struct AskedRange(long Offset, int Count, long FileSize, ScatterTarget Destination)
    {
        public long Last => Offset + Count - 1;

        public string Text => string.Create(CultureInfo.InvariantCulture, $"{Offset}-{Last}");
    }
}
