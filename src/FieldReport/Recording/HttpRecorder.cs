using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

using EsxiImport.FieldReport.Har;
using EsxiImport.FieldReport.Redaction;

namespace EsxiImport.FieldReport.Recording;

/// <summary>
/// A handler for a client's <see cref="HttpClient"/> pipeline that records every exchange into
/// a <see cref="FieldRecording"/>: request line, headers (credentials removed), SOAP bodies,
/// status, response headers, timing, and the bodies <see cref="BodyPolicy"/> keeps. A kept body
/// is read here and handed on as a fresh buffer, so the client reads the same bytes it would
/// have read; any other body streams through untouched. A transport failure is recorded and
/// rethrown unchanged.
/// </summary>
public sealed class HttpRecorder : DelegatingHandler
{
    private readonly FieldRecording _recording;
    private int _inFlight;

    public HttpRecorder(FieldRecording recording, HttpMessageHandler? inner = null)
    {
        _recording = recording ?? throw new ArgumentNullException(nameof(recording));
        if (inner is not null)
        {
            InnerHandler = inner;
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var url = request.RequestUri ?? throw new InvalidOperationException("a request without a URL");
        var index = _recording.NextIndex();
        var inFlight = Interlocked.Increment(ref _inFlight);
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        NameHarvester.FromUrl(_recording.Redactor, url);
        var harRequest = await RecordRequestAsync(request, url, cancellationToken).ConfigureAwait(false);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            Interlocked.Decrement(ref _inFlight);
            var failed = new HarResponse(0, "", "", [], new HarContent(0, ""));
            _recording.Add(new HarEntry(Stamp(started), clock.Elapsed.TotalMilliseconds, harRequest, failed, new HarTimings(0, clock.Elapsed.TotalMilliseconds, -1))
            {
                Index = index,
                InFlight = inFlight,
                Error = ErrorName(e),
            });
            throw;
        }

        var wait = clock.Elapsed.TotalMilliseconds;
        try
        {
            var (content, error) = await RecordBodyAsync(response, url, cancellationToken).ConfigureAwait(false);
            var total = clock.Elapsed.TotalMilliseconds;
            var harResponse = new HarResponse(
                (int)response.StatusCode,
                response.ReasonPhrase ?? "",
                HttpVersionText(response.Version),
                Headers(response.Headers, response.Content.Headers),
                content)
            {
                BodySize = content.Omitted is null ? content.Size : -1,
            };
            _recording.Add(new HarEntry(Stamp(started), total, harRequest, harResponse, new HarTimings(0, wait, content.Omitted is null ? total - wait : -1))
            {
                Index = index,
                InFlight = inFlight,
                Error = error,
            });
            return response;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task<HarRequest> RecordRequestAsync(HttpRequestMessage request, Uri url, CancellationToken ct)
    {
        HarPostData? post = null;
        long bodySize = 0;
        if (request.Content is { } body)
        {
            // Request bodies are SOAP envelopes: small, and buffered by HttpClient anyway.
            var bytes = await body.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            bodySize = bytes.Length;
            var text = _recording.Secrets.SoapRequest(Encoding.UTF8.GetString(bytes));
            post = new HarPostData(body.Headers.ContentType?.ToString() ?? "", text);
        }

        var headers = Headers(request.Headers, request.Content?.Headers);
        if (request.Headers.Host is null)
        {
            headers = [new HarHeader("Host", url.Authority), .. headers];
        }

        return new HarRequest(
            request.Method.Method,
            url.AbsoluteUri,
            HttpVersionText(request.Version),
            headers,
            [.. Query.Parse(url.Query).Select(p => new HarQueryParameter(p.Name, p.Value))])
        {
            PostData = post,
            BodySize = bodySize,
        };
    }

    /// <summary>Records the body; a body that breaks off is handed on as one that breaks off the same way.</summary>
    private async Task<(HarContent Content, string? Error)> RecordBodyAsync(HttpResponseMessage response, Uri url, CancellationToken ct)
    {
        var headers = response.Content.Headers;
        var mediaType = headers.ContentType?.MediaType ?? "";
        var length = headers.ContentLength;
        var omission = response.RequestMessage?.Method == HttpMethod.Head
            ? "head"
            : BodyPolicy.Omission(url, (int)response.StatusCode, mediaType, length);
        if (omission is not null)
        {
            return (new HarContent(SizeOf(response) ?? -1, mediaType) { Omitted = omission }, null);
        }

        byte[] bytes;
        try
        {
            bytes = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            // The body broke off: recorded as such, and the client sees the same failure.
            response.Content = new FailingContent(e, headers);
            return (new HarContent(length ?? -1, mediaType) { Omitted = "broken" }, ErrorName(e));
        }

        var fresh = new ByteArrayContent(bytes);
        foreach (var header in headers)
        {
            fresh.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = fresh;
        if (url.AbsolutePath.StartsWith("/sdk", StringComparison.Ordinal))
        {
            NameHarvester.FromSoap(_recording.Redactor, Encoding.UTF8.GetString(bytes));
        }

        var content = new HarContent(bytes.Length, mediaType);
        if (BodyPolicy.LooksBinary(bytes))
        {
            return (content with { Omitted = "binary" }, null);
        }

        return (Utf8(bytes) is { } text
            ? content with { Text = text }
            : content with { Text = Convert.ToBase64String(bytes), Encoding = HarFormat.Base64 }, null);
    }

    /// <summary>The size of the file behind a response: the total of a Content-Range, else Content-Length.</summary>
    private static long? SizeOf(HttpResponseMessage response) =>
        response.Content.Headers.ContentRange is { Length: { } total } ? total : response.Content.Headers.ContentLength;

    private List<HarHeader> Headers(HttpHeaders headers, HttpContentHeaders? content)
    {
        var list = new List<HarHeader>();
        foreach (var header in content is null ? headers : headers.Concat(content))
        {
            foreach (var value in header.Value)
            {
                list.Add(new HarHeader(header.Key, _recording.Secrets.Header(header.Key, value)));
            }
        }

        return list;
    }

    private static string? Utf8(byte[] bytes)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static string ErrorName(Exception e) => e switch
    {
        OperationCanceledException => "timeout",
        _ when e.InnerException is IOException or System.Net.Sockets.SocketException => "reset: " + Diagnostics.ErrorChain.OneLine(e.InnerException.Message),
        _ => "failed: " + Diagnostics.ErrorChain.OneLine(e.Message),
    };

    private static string HttpVersionText(Version version) => "HTTP/" + (version.Major >= 2 ? version.Major.ToString(CultureInfo.InvariantCulture) : version.ToString(2));

    private static string Stamp(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
