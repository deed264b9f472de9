using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EsxiImport.UnitTests.Esxi;

/// <summary>
/// A Kestrel HTTPS server on 127.0.0.1 with a self-signed certificate made for the test, so
/// certificate verification and ALPN can be checked for real. It answers every request as a
/// directory and records the HTTP version each request arrived with.
/// </summary>
public sealed class TlsTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<string> _protocols = [];

    private TlsTestHost(WebApplication app) => _app = app;

    public int Port { get; private set; }

    public IReadOnlyList<string> Protocols
    {
        get
        {
            lock (_protocols)
            {
                return [.. _protocols];
            }
        }
    }

    public static async Task<TlsTestHost> StartAsync(HttpProtocols protocols)
    {
        var certificate = SelfSigned();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = protocols;
            listen.UseHttps(certificate);
        }));
        var app = builder.Build();
        var host = new TlsTestHost(app);
        app.Run(context =>
        {
            lock (host._protocols)
            {
                host._protocols.Add(context.Request.Protocol);
            }

            context.Response.ContentType = "text/html";
            return Task.CompletedTask;
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host.Port = new Uri(address).Port;
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=esxi-test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}
