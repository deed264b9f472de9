using System.Net;

using EsxiImport.Emulator.Http;
using EsxiImport.FieldReport.Recording;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EsxiImport.IntegrationTests.Replay;

/// <summary>
/// An HTTPS proxy in front of a host that records what passes through it with the recorder the
/// tools use (<see cref="HttpRecorder"/>: credentials removed, disk contents not kept), so the
/// mount tool, which has no recorder of its own, can be recorded as it runs. Requests go on with
/// their raw target, method, headers and body; answers come back with status, headers and body as
/// the host sent them, and a failure of the host (a reset, a body cut off) cuts the client's
/// connection the same way.
/// </summary>
public sealed class RecordingProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Host", "Proxy-Connection", "TE", "Trailer",
    };

    private readonly WebApplication _app;
    private readonly HttpClient _client;
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _certificate;

    private RecordingProxy(WebApplication app, HttpClient client, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, FieldRecording recording)
    {
        _app = app;
        _client = client;
        _certificate = certificate;
        Recording = recording;
    }

    public FieldRecording Recording { get; }

    /// <summary><c>127.0.0.1:PORT</c> to point the tool at.</summary>
    public string Authority { get; private set; } = "";

    public static async Task<RecordingProxy> StartAsync(Uri upstream, FieldRecording recording)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        };
        var client = new HttpClient(new HttpRecorder(recording, handler)) { Timeout = Timeout.InfiniteTimeSpan };
        var certificate = SelfSignedCertificate.Create();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        var app = builder.Build();
        var proxy = new RecordingProxy(app, client, certificate, recording);
        var origin = upstream.GetLeftPart(UriPartial.Authority);
        app.Run(context => proxy.ForwardAsync(context, origin));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        proxy.Authority = "127.0.0.1:" + new Uri(address).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return proxy;
    }

    private async Task ForwardAsync(HttpContext context, string origin)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(origin + raw, UriKind.Absolute));
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            request.Content = new ByteArrayContent(body.ToArray());
        }

        foreach (var (name, values) in context.Request.Headers)
        {
            if (HopByHop.Contains(name) || name.StartsWith(':'))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        }
        catch (HttpRequestException)
        {
            context.Abort();
            return;
        }

        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopByHop.Contains(name))
                {
                    context.Response.Headers[name] = values.ToArray();
                }
            }

            try
            {
                await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                context.Abort();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _client.Dispose();
        _certificate.Dispose();
    }
}
