using EsxiImport.FieldReport.Har;

using Microsoft.AspNetCore.Http;

namespace EsxiImport.Emulator.Replay;

/// <summary>Writes a recorded response as recorded: status, the headers that describe the body, the body; a recorded transport failure cuts the connection.</summary>
internal static class ReplayResponse
{
    private static readonly HashSet<string> Kept = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Type", "WWW-Authenticate", "Accept-Ranges", "Retry-After", "Location",
    };

    /// <summary>Whether the host sent this answer without a length (chunked), which a replay repeats.</summary>
    public static bool SentChunked(HarEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Response.Header("Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true
            && entry.Response.Header("Content-Length") is null;
    }

    public static async Task WriteAsync(HttpContext context, HarEntry entry, byte[]? body = null)
    {
        if (entry.Error is not null || entry.Response.Status == 0)
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = entry.Response.Status;
        foreach (var header in entry.Response.Headers.Where(h => Kept.Contains(h.Name)))
        {
            context.Response.Headers.Append(header.Name, header.Value);
        }

        body ??= HarDocument.BodyBytes(entry.Response.Content) ?? [];
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            if (!SentChunked(entry))
            {
                context.Response.ContentLength = body.Length;
            }

            await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
