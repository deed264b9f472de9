using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace EsxiImport.CacheBench;

/// <summary>
/// A minimal /folder file server on loopback (HTTP/1.1 on one port; HTTPS with h2 and http/1.1
/// on another) serving one in-memory file with Range support, so the measurement is the client
/// and cache, not a disk or the emulator.
/// </summary>
internal sealed class RangeServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RangeServer(WebApplication app, byte[] content)
    {
        _app = app;
        Content = content;
    }

    public byte[] Content { get; }

    public int HttpPort { get; private set; }

    public int HttpsPort { get; private set; }

    public static async Task<RangeServer> StartAsync(byte[] content)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var certificate = SelfSigned();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http1);
            k.Listen(IPAddress.Loopback, 0, l =>
            {
                l.Protocols = HttpProtocols.Http1AndHttp2;
                l.UseHttps(certificate);
            });
        });
        var app = builder.Build();
        var server = new RangeServer(app, content);
        app.Run(server.ServeAsync);
        await app.StartAsync();
        foreach (var address in app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses)
        {
            var uri = new Uri(address);
            if (uri.Scheme == "https")
            {
                server.HttpsPort = uri.Port;
            }
            else
            {
                server.HttpPort = uri.Port;
            }
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task ServeAsync(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = "application/octet-stream";
        var total = Content.Length;
        var range = context.Request.GetTypedHeaders().Range?.Ranges.FirstOrDefault();
        long first = 0, last = total - 1;
        if (range is not null)
        {
            first = range.From ?? 0;
            last = Math.Min(range.To ?? (total - 1), total - 1);
            if (first >= total)
            {
                response.StatusCode = 416;
                response.Headers.ContentRange = $"bytes */{total}";
                return;
            }

            response.StatusCode = 206;
            response.Headers.ContentRange = $"bytes {first}-{last}/{total}";
        }

        response.ContentLength = last - first + 1;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(Content.AsMemory((int)first, (int)(last - first + 1)), context.RequestAborted);
        }
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=bench", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}