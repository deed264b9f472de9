using System.Buffers;
using System.Globalization;
using System.Net;

using EsxiImport.Diagnostics;

namespace EsxiImport.EsxiFuse.Esxi;

/// <summary>
/// Turns what the host answered into the protocol's meaning: status codes into error kinds, and
/// the checks that keep a wrong body from ever reaching a caller as file data (FB-26).
/// </summary>
internal static class ResponseChecks
{
    private const string Html = "text/html";

    /// <summary>
    /// The error for a status the caller did not expect. Throttling (503, 429) and gateway or
    /// server failures are passing states of hostd or its proxy, worth another attempt; a
    /// redirect names where it points and is not followed (libvirt and upstream treat it as an
    /// error too); any other client error is final, as upstream has it.
    /// </summary>
    public static ToolError StatusError(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        return response.StatusCode switch
        {
            HttpStatusCode.NotFound => ToolError.Of("esxi.http.not-found", ErrorKind.NotFound),
            HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests => ToolError.Of("esxi.http.rate-limited", ErrorKind.RateLimited),
            HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout =>
                ToolError.Of("esxi.http.status", ErrorKind.Transport, ("status", Describe(response))),
            _ when status is >= 300 and < 400 => ToolError.Of(
                "esxi.http.redirect",
                ErrorKind.General,
                ("status", Describe(response)),
                ("location", response.Headers.Location?.OriginalString ?? "(none)")),
            _ => ToolError.Of("esxi.http.status", ErrorKind.General, ("status", Describe(response))),
        };
    }

    /// <summary>
    /// Whether the answer is an HTML page: the host's directory listing on a HEAD, never file
    /// data. Every other type is a file's (ESXi sends application/octet-stream, vcsim a type by
    /// extension, text/plain for a .vmx).
    /// </summary>
    public static bool IsHtml(HttpResponseMessage response) =>
        string.Equals(response.Content.Headers.ContentType?.MediaType, Html, StringComparison.OrdinalIgnoreCase);

    /// <summary>File data never comes as an HTML page: that is a listing, or a proxy's login or error page.</summary>
    public static void RequireFileData(HttpResponseMessage response)
    {
        if (IsHtml(response))
        {
            throw ToolError.Of("esxi.http.content-type", ErrorKind.Protocol, ("type", response.Content.Headers.ContentType?.ToString()));
        }
    }

    /// <summary>
    /// Reads exactly <paramref name="count"/> bytes of body into <paramref name="destination"/>,
    /// and proves the body ends there: fewer bytes (a cut connection, a lying proxy) and more
    /// bytes are both errors. An announced length other than <paramref name="count"/> fails
    /// before any byte is read.
    /// </summary>
    public static async ValueTask ReadBodyExactlyAsync(HttpResponseMessage response, ScatterTarget destination, int count, TransferWatch watch)
    {
        if (response.Content.Headers.ContentLength is long announced && announced != count)
        {
            throw announced < count
                ? ToolError.Of("esxi.http.short-body", ErrorKind.Protocol, ("received", announced), ("expected", count))
                : ToolError.Of("esxi.http.long-body", ErrorKind.Protocol, ("expected", count));
        }

        var stream = await response.Content.ReadAsStreamAsync(watch.Token).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var received = await destination.FillAsync(stream, count, watch).ConfigureAwait(false);
            if (received < count)
            {
                throw ToolError.Of("esxi.http.short-body", ErrorKind.Protocol, ("received", received), ("expected", count));
            }

            var probe = ArrayPool<byte>.Shared.Rent(1);
            try
            {
                if (await stream.ReadAsync(probe.AsMemory(0, 1), watch.Token).ConfigureAwait(false) > 0)
                {
                    throw ToolError.Of("esxi.http.long-body", ErrorKind.Protocol, ("expected", count));
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(probe);
            }
        }
    }

    private static string Describe(HttpResponseMessage response) =>
        ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)
        + (string.IsNullOrEmpty(response.ReasonPhrase) ? string.Empty : " " + response.ReasonPhrase);
}
