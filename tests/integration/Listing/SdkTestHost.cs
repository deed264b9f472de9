using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

using EsxiImport.Emulator.Scenarios;
using EsxiImport.Emulator.Sessions;
using EsxiImport.Emulator.Soap;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EsxiImport.IntegrationTests.Listing;

/// <summary>
/// A minimal in-process host for the SOAP endpoint only (POST /sdk, GET /sdk/vimServiceVersions.xml)
/// on 127.0.0.1 with an ephemeral port, HTTPS with a fresh self-signed certificate (pyvmomi's
/// SmartConnect needs HTTPS) or plain HTTP. Disposing stops it.
/// </summary>
internal sealed class SdkTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SdkTestHost(WebApplication app, SdkService sdk, SessionStore sessions, int port, bool https)
    {
        _app = app;
        Sdk = sdk;
        Sessions = sessions;
        Port = port;
        BaseUri = new Uri((https ? "https" : "http") + "://127.0.0.1:" + port + "/");
    }

    public SdkService Sdk { get; }

    public SessionStore Sessions { get; }

    public int Port { get; }

    public Uri BaseUri { get; }

    /// <summary>How many POST /sdk calls arrived (round trips of a client).</summary>
    public int SdkCalls => _calls;

    private int _calls;

    public static async Task<SdkTestHost> StartAsync(Scenario scenario, bool https = true)
    {
        var sessions = new SessionStore(scenario.Limits.SessionIdleTimeout);
        var sdk = new SdkService(scenario, sessions);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        using var cert = https ? SelfSigned() : null;
        var exported = cert is null ? null : X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l =>
        {
            if (exported is not null)
            {
                l.UseHttps(exported);
            }
        }));
        var app = builder.Build();
        SdkTestHost? host = null;
        app.MapPost("/sdk", ctx =>
        {
            Interlocked.Increment(ref host!._calls);
            return sdk.HandleAsync(ctx);
        });
        app.MapGet("/sdk/vimServiceVersions.xml", sdk.VersionsAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host = new SdkTestHost(app, sdk, sessions, new Uri(address).Port, https);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost.localdomain", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }
}