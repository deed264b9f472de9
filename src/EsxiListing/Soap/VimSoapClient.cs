using System.Net;
using System.Net.Security;
using System.Text;
using System.Xml;
using System.Xml.Linq;

using EsxiImport.Diagnostics;
using EsxiImport.FieldReport.Recording;
using EsxiImport.Vim25;

namespace EsxiImport.Listing.Soap;

/// <summary>
/// HTTP transport of vim25 SOAP: builds envelopes as XML trees, posts them to <c>/sdk</c> with
/// <c>SOAPAction: "urn:vim25/&lt;version&gt;"</c>, keeps the <c>vmware_soap_session</c> cookie,
/// and turns replies into response elements or <see cref="VimFault"/>s. Transport failures
/// become <see cref="ToolError"/>s whose kind says what went wrong (certificate, timeout,
/// transport, protocol).
/// </summary>
public sealed class VimSoapClient : IDisposable
{
    private static readonly XmlReaderSettings ReaderSettings = new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };

    private readonly HttpClient _http;
    private readonly VimClientOptions _options;
    private string? _cookie;
    private volatile bool _certificateRejected;
    private int _roundTrips;

    public VimSoapClient(VimClientOptions options, HttpMessageHandler? handler = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        handler ??= new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = ValidateCertificate },
        };
        if (options.Recording is { } recording)
        {
            handler = new HttpRecorder(recording, handler);
        }

        _http = new HttpClient(handler) { Timeout = options.RequestTimeout, BaseAddress = options.BaseUri };
    }

    /// <summary>The API version sent in SOAPAction; set by <see cref="NegotiateVersionAsync"/>.</summary>
    public string Version { get; set; } = "6.7";

    /// <summary>HTTP requests made so far (the version document included).</summary>
    public int RoundTrips => _roundTrips;

    /// <summary>Whether a session cookie is held.</summary>
    public bool HasSession => _cookie is not null;

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// Reads <c>/sdk/vimServiceVersions.xml</c> and picks the newest version both sides know,
    /// as pyvmomi does (exact id match, our preference order).
    /// </summary>
    public async Task<string> NegotiateVersionAsync(IReadOnlyList<string> preferred, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(preferred);
        var uri = new Uri(_options.BaseUri, "sdk/vimServiceVersions.xml");
        var (status, body) = await ExchangeAsync(new HttpRequestMessage(HttpMethod.Get, uri), ct).ConfigureAwait(false);
        var offered = new List<string>();
        if (status == HttpStatusCode.OK && TryLoad(body, out var doc) && doc.Root?.Name.LocalName == "namespaces")
        {
            foreach (var ns in doc.Root.Elements().Where(e => e.Name.LocalName == "namespace" && e.Elements().Any(n => n.Name.LocalName == "name" && n.Value.Trim() == "urn:vim25")))
            {
                offered.AddRange(ns.Descendants().Where(e => e.Name.LocalName == "version").Select(e => e.Value.Trim()));
            }
        }

        var match = preferred.FirstOrDefault(offered.Contains);
        if (match is null)
        {
            throw ToolError.Of("listing.not-vim-server", ErrorKind.Protocol, ("host", _options.Host), ("port", _options.Port));
        }

        Version = match;
        return match;
    }

    /// <summary>Sends one method element; a fault is returned, not thrown. Transport and framing errors throw.</summary>
    public async Task<VimResponse> SendAsync(XElement method, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_options.BaseUri, "sdk"))
        {
            Content = new ByteArrayContent(SoapEnvelope.Request(method)),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation("SOAPAction", "\"urn:vim25/" + Version + "\"");
        if (_cookie is not null)
        {
            request.Headers.TryAddWithoutValidation("Cookie", _cookie);
        }

        var url = request.RequestUri!.ToString();
        var (status, body) = await ExchangeAsync(request, ct).ConfigureAwait(false);
        if (status is not (HttpStatusCode.OK or HttpStatusCode.InternalServerError))
        {
            throw ToolError.Of("listing.soap.http-status", ErrorKind.Protocol, ("status", (int)status), ("url", url));
        }

        if (body.Length == 0)
        {
            throw ToolError.Of("listing.soap.empty-response", ErrorKind.Protocol, ("url", url));
        }

        XDocument doc;
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(body), ReaderSettings);
            doc = XDocument.Load(reader);
        }
        catch (XmlException e)
        {
            throw ToolError.Wrap(e, "listing.soap.malformed", ErrorKind.Protocol, ("url", url));
        }

        var content = SoapEnvelope.BodyContent(doc);
        if (content is not null && content.Name == VimXml.Soap + "Fault")
        {
            return new VimResponse(null, SoapFaults.Parse(content));
        }

        if (content is null || status != HttpStatusCode.OK || !content.Name.LocalName.EndsWith("Response", StringComparison.Ordinal))
        {
            throw ToolError.Of("listing.soap.not-soap", ErrorKind.Protocol, ("url", url));
        }

        return new VimResponse(content, null);
    }

    /// <summary>Sends one method element and returns its response element; a fault becomes a <see cref="ToolError"/>.</summary>
    public async Task<XElement> InvokeAsync(XElement method, CancellationToken ct = default)
    {
        var response = await SendAsync(method, ct).ConfigureAwait(false);
        if (response.Fault is { } fault)
        {
            var kind = fault.Type switch
            {
                "InvalidLogin" or "NotAuthenticated" => ErrorKind.Authentication,
                "ManagedObjectNotFound" => ErrorKind.NotFound,
                _ => ErrorKind.Protocol,
            };
            throw ToolError.Of("listing.soap.fault", kind, ("method", method.Name.LocalName), ("type", fault.Type), ("message", fault.Message));
        }

        return response.Response!;
    }

    private static bool TryLoad(byte[] body, out XDocument doc)
    {
        doc = null!;
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(body), ReaderSettings);
            doc = XDocument.Load(reader);
            return true;
        }
        catch (XmlException)
        {
            return false;
        }
    }

    private async Task<(HttpStatusCode Status, byte[] Body)> ExchangeAsync(HttpRequestMessage request, CancellationToken callerToken)
    {
        var ct = callerToken;
        Interlocked.Increment(ref _roundTrips);
        var url = request.RequestUri!.ToString();

        // One budget for the whole exchange, body included (HttpClient.Timeout stops at the headers).
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
        budget.CancelAfter(_options.RequestTimeout);
        ct = budget.Token;
        try
        {
            using (request)
            using (var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false))
            {
                RememberSessionCookie(response);
                try
                {
                    var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
                    return (response.StatusCode, body);
                }
                catch (Exception e) when (e is HttpRequestException or IOException && !budget.IsCancellationRequested)
                {
                    // The status line arrived, so the host was reached: the body broke off.
                    throw ToolError.Wrap(e, "listing.soap.truncated", ErrorKind.Transport, ("url", url), ("error", e.Message));
                }
            }
        }
        catch (HttpRequestException e) when (_certificateRejected)
        {
            throw ToolError.Wrap(e, "listing.cert-untrusted", ErrorKind.Certificate);
        }
        catch (HttpRequestException e)
        {
            throw ToolError.Wrap(e, "listing.connect-failed", ErrorKind.Transport, ("error", e.Message));
        }
        catch (OperationCanceledException e) when (budget.IsCancellationRequested && !callerToken.IsCancellationRequested)
        {
            throw ToolError.Wrap(e, "listing.timeout", ErrorKind.Timeout, ("url", url), ("seconds", _options.RequestTimeout.TotalSeconds));
        }
    }

    // Keep the session cookie as name=value; the last one sent wins.
    private void RememberSessionCookie(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Set-Cookie", out var values))
        {
            return;
        }

        foreach (var value in values)
        {
            if (SessionCookie.PairOf(value) is { } pair)
            {
                _cookie = pair;
            }
        }
    }

    private bool ValidateCertificate(object sender, System.Security.Cryptography.X509Certificates.X509Certificate? certificate,
        System.Security.Cryptography.X509Certificates.X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None || _options.SkipCertificateVerification)
        {
            return true;
        }

        _certificateRejected = true;
        return false;
    }
}
