using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Xml;
using System.Xml.Linq;

using EsxiImport.EsxiFuse.Esxi;
using EsxiImport.Vim25;

namespace EsxiImport.EsxiFuse.Diagnose;

/// <summary>
/// The diagnosis's own requests to the host: the product facts, one HEAD for the headers and the
/// measurements. Unlike the mount's client it never retries and allows 8 requests in flight, so
/// a 503 is seen as the host's answer instead of being waited out. Basic auth plus the session
/// cookie once handed out, as the mount sends them; the password never leaves this class.
/// </summary>
internal sealed class HostProbe : IDisposable
{
    /// <summary>Parallel range streams of the widest measurement, and so the connection limit.</summary>
    public const int MaxStreams = 8;

    // The request line carries FolderUrl's bytes as they are, as the mount's client sends them.
    private static readonly UriCreationOptions Verbatim = new() { DangerousDisablePathAndQueryCanonicalization = true };

    private readonly HttpClient _http;
    private readonly string _origin;
    private readonly string _authorization;
    private string? _cookie;

    public HostProbe(FolderClientOptions options, Func<HttpMessageHandler, HttpMessageHandler>? wrap = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _origin = options.Host.BaseUri(options.UseHttps).GetLeftPart(UriPartial.Authority);
        _authorization = options.BasicAuthorization;
        HttpMessageHandler handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
            MaxConnectionsPerServer = MaxStreams,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, _, _, errors) => options.SkipCertificateVerification || errors == SslPolicyErrors.None,
                CertificateChainPolicy = FolderClient.ChainPolicy(options.SkipCertificateVerification),
            },
        };
        _http = new HttpClient(wrap?.Invoke(handler) ?? handler, disposeHandler: true) { Timeout = options.RequestTimeout };
    }

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// Product, version, build and API version: SOAP <c>RetrieveServiceContent</c> (no login needed),
    /// else the API versions of <c>/sdk/vimServiceVersions.xml</c>. Null fields when neither answers.
    /// </summary>
    public async Task<(string? Product, string? Version, string? Build, string? Api, string? Source)> ProductAsync(CancellationToken cancellationToken)
    {
        try
        {
            var method = new XElement(VimXml.Vim + "RetrieveServiceContent", new ManagedObjectReference("ServiceInstance", "ServiceInstance").ToElement(VimXml.Vim + "_this"));
            using var request = new HttpRequestMessage(HttpMethod.Post, _origin + "/sdk") { Content = new ByteArrayContent(SoapEnvelope.Request(method)) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
            request.Headers.TryAddWithoutValidation("SOAPAction", "\"urn:vim25/6.7\"");
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode
                && SoapEnvelope.BodyContent(XDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)))?.Child("returnval")?.Child("about") is { } about)
            {
                return (about.ChildText("fullName"), about.ChildText("version"), about.ChildText("build"), about.ChildText("apiVersion"), "about");
            }
        }
        catch (Exception e) when (e is HttpRequestException or XmlException or TaskCanceledException)
        {
            // the versions file below may still answer
        }

        try
        {
            using var response = await _http.GetAsync(_origin + "/sdk/vimServiceVersions.xml", cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                var document = XDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
                var api = document.Descendants().FirstOrDefault(e => e.Name.LocalName == "version")?.Value.Trim();
                return (null, null, null, api, "vimServiceVersions.xml");
            }
        }
        catch (Exception e) when (e is HttpRequestException or XmlException or TaskCanceledException)
        {
            // nothing to report but that nothing answered
        }

        return (null, null, null, null, null);
    }

    /// <summary>One request; the body is read (and counted) up to <paramref name="deadline"/>.</summary>
    public async Task<ProbeAnswer> SendAsync(HttpMethod method, RemotePath target, (long First, long Last)? range, CancellationToken deadline)
    {
        using var request = new HttpRequestMessage(method, new Uri(_origin + FolderUrl.PathAndQuery(target), Verbatim));
        request.Headers.TryAddWithoutValidation("Authorization", _authorization);
        if (Volatile.Read(ref _cookie) is { } cookie)
        {
            request.Headers.TryAddWithoutValidation("Cookie", cookie);
        }

        if (range is { } r)
        {
            request.Headers.Range = new RangeHeaderValue(r.First, r.Last);
        }

        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline).ConfigureAwait(false);
            var headersAt = clock.Elapsed;
            if (SessionCookie.From(response) is { } pair)
            {
                Volatile.Write(ref _cookie, pair);
            }

            long bytes = 0;
            if (method != HttpMethod.Head && response.IsSuccessStatusCode)
            {
                var buffer = new byte[1 << 20];
                var body = await response.Content.ReadAsStreamAsync(deadline).ConfigureAwait(false);
                await using (body.ConfigureAwait(false))
                {
                    try
                    {
                        int n;
                        while ((n = await body.ReadAsync(buffer, deadline).ConfigureAwait(false)) > 0)
                        {
                            bytes += n;
                        }
                    }
                    catch (OperationCanceledException) when (deadline.IsCancellationRequested)
                    {
                        // the time bound ends the read; what came counts
                    }
                }
            }

            return new ProbeAnswer((int)response.StatusCode, response.Version, response.Headers.AcceptRanges.FirstOrDefault(), bytes, headersAt, null);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            return new ProbeAnswer(0, null, null, 0, clock.Elapsed, e is OperationCanceledException ? "no answer in time" : Innermost(e));
        }
    }

    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e.Message;
    }
}

/// <summary>What one probe request got: status (0 when none), version, Accept-Ranges, body bytes, time to headers, failure.</summary>
internal sealed record ProbeAnswer(int Status, Version? HttpVersion, string? AcceptRanges, long Bytes, TimeSpan HeadersAfter, string? Failure);
