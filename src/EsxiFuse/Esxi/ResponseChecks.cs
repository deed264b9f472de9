using System.Buffers;
using System.Net;

using EsxiImport.Diagnostics;

namespace EsxiImport.EsxiFuse.Esxi;

/// <summary>
/// Turns what the host answered into the protocol's meaning: status codes into error kinds, and
/// the checks that keep a wrong body from ever reaching a caller as file data (FB-26).
/// </summary>
internal static class ResponseChecks
{
    private const string OctetStream = "application/octet-stream";

    /// <summary>The error for a status the caller did not expect.</summary>
    public static ToolError StatusError(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        return response.StatusCode switch
        {
            HttpStatusCode.NotFound => ToolError.Of("esxi.http.not-found", ErrorKind.NotFound),
            HttpStatusCode.ServiceUnavailable => ToolError.Of("esxi.http.rate-limited", ErrorKind.RateLimited),

            // Gateway and server failures are passing states of hostd or its proxy: worth a retry.
            HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout =>
                ToolError.Of("esxi.http.status", ErrorKind.Transport, ("status", Describe(response))),
            _ => ToolError.Of("esxi.http.status", status is >= 300 and < 500 ? ErrorKind.Protocol : ErrorKind.General, ("status", Describe(response))),
        };
    }

    /// <summary>Whether the answer declares a file body; null when it declares no type at all.</summary>
    public static bool? IsOctetStream(HttpResponseMessage response)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        return mediaType is null ? null : string.Equals(mediaType, OctetStream, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>File data comes only as <c>application/octet-stream</c>; an HTML error page is not a disk.</summary>
    public static void RequireOctetStream(HttpResponseMessage response)
    {
        switch (IsOctetStream(response))
        {
            case null:
                throw ToolError.Of("esxi.http.content-type-missing", ErrorKind.Protocol);
            case false:
                throw ToolError.Of("esxi.http.content-type", ErrorKind.Protocol, ("type", response.Content.Headers.ContentType?.ToString()));
            default:
                break;
        }
    }

    /// <summary>
    /// Reads exactly <paramref name="count"/> bytes of body into <paramref name="destination"/>,
    /// and proves the body ends there: fewer bytes (a cut connection, a lying proxy) and more
    /// bytes are both errors.
    /// </summary>
    public static async ValueTask ReadBodyExactlyAsync(HttpContent content, ScatterTarget destination, int count, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var received = await destination.FillAsync(stream, count, cancellationToken).ConfigureAwait(false);
            if (received < count)
            {
                throw ToolError.Of("esxi.http.short-body", ErrorKind.Protocol, ("received", received), ("expected", count));
            }

            var probe = ArrayPool<byte>.Shared.Rent(1);
            try
            {
                if (await stream.ReadAsync(probe.AsMemory(0, 1), cancellationToken).ConfigureAwait(false) > 0)
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

    /// <summary>
    /// Reads a body of unannounced length into <paramref name="destination"/>; its length, or
    /// null when the body is longer than the buffer.
    /// </summary>
    public static async ValueTask<int?> ReadBodyUpToAsync(HttpContent content, ScatterTarget destination, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var received = await destination.FillAsync(stream, destination.Length, cancellationToken).ConfigureAwait(false);
            var probe = ArrayPool<byte>.Shared.Rent(1);
            try
            {
                return await stream.ReadAsync(probe.AsMemory(0, 1), cancellationToken).ConfigureAwait(false) > 0 ? null : received;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(probe);
            }
        }
    }

    /// <summary>The announced body length must be the length the range promises.</summary>
    public static void RequireContentLength(HttpResponseMessage response, long expected)
    {
        if (response.Content.Headers.ContentLength is not long announced || announced == expected)
        {
            return;
        }

        throw announced < expected
            ? ToolError.Of("esxi.http.short-body", ErrorKind.Protocol, ("received", announced), ("expected", expected))
            : ToolError.Of("esxi.http.long-body", ErrorKind.Protocol, ("expected", expected));
    }

    private static string Describe(HttpResponseMessage response) =>
        ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)
        + (string.IsNullOrEmpty(response.ReasonPhrase) ? string.Empty : " " + response.ReasonPhrase);
}
