using System.Security.Cryptography.X509Certificates;

using EsxiImport.Diagnostics;
using EsxiImport.Emulator.Datastore;
using EsxiImport.Emulator.Faults;
using EsxiImport.Emulator.Scenarios;
using EsxiImport.Emulator.Sessions;
using EsxiImport.Emulator.Soap;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EsxiImport.Emulator.Http;

/// <summary>
/// A running emulated ESXi host: Kestrel on loopback (HTTPS with a generated certificate by
/// default, HTTP/1.1 and HTTP/2), serving <c>/folder</c> and <c>/sdk</c> for one scenario.
/// Tests start one with <see cref="StartAsync"/> and dispose it; the standalone program does the
/// same and waits for a signal. Everything the host writes goes to <see cref="TempDirectory"/>,
/// which disposal deletes.
/// </summary>
public sealed class EmulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmulatorHost(WebApplication app, Scenario scenario, EmulatedDatastores datastores, SessionStore sessions, FaultRuleSet faults, string tempDirectory, X509Certificate2? certificate, EmulatorCounters counters)
    {
        Counters = counters;
        _app = app;
        Scenario = scenario;
        Datastores = datastores;
        Sessions = sessions;
        Faults = faults;
        TempDirectory = tempDirectory;
        Certificate = certificate;
        CertificateFingerprint = certificate is null ? null : SelfSignedCertificate.Fingerprint(certificate);
    }

    public Scenario Scenario { get; }

    /// <summary>The datastore file trees served by /folder.</summary>
    public EmulatedDatastores Datastores { get; }

    /// <summary><c>https://127.0.0.1:PORT/</c> (or http), with the port actually bound.</summary>
    public Uri BaseUri { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The server certificate; null for plain HTTP.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>SHA-256 fingerprint of the certificate, <c>AB:CD:…</c>; null for plain HTTP.</summary>
    public string? CertificateFingerprint { get; }

    /// <summary>The certificate as PEM in <see cref="TempDirectory"/>, for curl <c>--cacert</c> and Python; null for plain HTTP.</summary>
    public string? CertificatePemPath { get; private set; }

    /// <summary>The folder this instance owns and deletes on dispose.</summary>
    public string TempDirectory { get; }

    /// <summary>Sessions of both APIs; tests may expire them.</summary>
    public SessionStore Sessions { get; }

    /// <summary>The live fault rules; add and remove while running.</summary>
    public FaultRuleSet Faults { get; }

    public EmulatorCounters Counters { get; }

    /// <summary>The host model in force: the scenario's limits, or <see cref="EmulatorOptions.Limits"/>.</summary>
    public HostLimits Limits { get; private init; } = new();

    public RequestLog RequestLog { get; } = new();

    /// <summary>The first scenario user (who tests and the ready line log in as).</summary>
    public ScenarioUser User => Scenario.Users[0];

    /// <summary>The URL of a datastore file: <c>/folder/&lt;path&gt;?dcPath=&lt;dc&gt;&amp;dsName=&lt;ds&gt;</c>, every path segment escaped.</summary>
    public Uri FolderUri(string datastore, string path, string? datacenter = null) =>
        new(BaseUri, "folder/" + DirectoryListing.EncodePath(path) + "?dcPath=" + Uri.EscapeDataString(datacenter ?? Datastores.DefaultDatacenter)
            + "&dsName=" + Uri.EscapeDataString(datastore));

    /// <summary>Builds the trees, binds and starts serving. Invalid fault rules throw <see cref="ToolError"/> before anything binds.</summary>
    public static async Task<EmulatorHost> StartAsync(Scenario scenario, EmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        options ??= new EmulatorOptions();
        var faults = new FaultRuleSet();
        foreach (var spec in scenario.Faults)
        {
            faults.Add(spec);
        }

        foreach (var line in options.FaultRules)
        {
            faults.Add(line);
        }

        var datastores = EmulatedDatastores.Build(scenario);
        var sessions = new SessionStore((options.Limits ?? scenario.Limits).SessionIdleTimeout, options.Clock);
        var sdk = options.SdkHandlerFactory is { } factory ? factory(scenario, sessions) : new SdkService(scenario, sessions);
        var temp = Directory.CreateTempSubdirectory("esxi-emulator-").FullName;
        var certificate = options.UseHttps ? SelfSignedCertificate.Create() : null;

        var limits = options.Limits ?? scenario.Limits;
        var counters = new EmulatorCounters();
        var model = new HostModel(limits, counters);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = temp, Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 64L << 20;
            k.Listen(options.Address, options.Port, listen =>
            {
                // Before TLS: a host at its connection limit refuses the TCP connection itself.
                listen.Use(model.Connections);
                // h2 must be offered: a client whose ALPN lists only h2 fails the TLS handshake otherwise.
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
        });
        var app = builder.Build();
        var host = new EmulatorHost(app, scenario, datastores, sessions, faults, temp, certificate, counters) { Limits = limits };
        var folder = new FolderEndpoint(datastores, new FolderAuthenticator(scenario, sessions, host.Counters));
        app.UseMiddleware<RequestGate>(faults, host.Counters, host.RequestLog, sessions, model);
        app.Run(context => Dispatch(context, folder, sdk));
        try
        {
            if (certificate is not null)
            {
                host.CertificatePemPath = Path.Combine(temp, "emulator-cert.pem");
                await File.WriteAllTextAsync(host.CertificatePemPath, certificate.ExportCertificatePem() + "\n", cancellationToken).ConfigureAwait(false);
            }

            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address.Replace("[::]", "localhost", StringComparison.Ordinal)).Port;
        var hostPart = options.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "[" + options.Address + "]" : options.Address.ToString();
        host.BaseUri = new Uri($"{(certificate is null ? "http" : "https")}://{hostPart}:{port}/");
        return host;
    }

    private static Task Dispatch(HttpContext context, FolderEndpoint folder, ISdkHandler? sdk)
    {
        var path = context.Request.Path.Value ?? "";
        if (path == "/folder" || path.StartsWith("/folder/", StringComparison.Ordinal))
        {
            return folder.HandleAsync(context);
        }

        if (path == "/sdk/vimServiceVersions.xml" && HttpMethods.IsGet(context.Request.Method) && sdk is not null)
        {
            return sdk.VersionsAsync(context);
        }

        if (path is "/sdk" or "/sdk/" && sdk is not null)
        {
            return sdk.HandleAsync(context);
        }

        return RequestGate.WriteTextAsync(
            context,
            StatusCodes.Status404NotFound,
            path.StartsWith("/sdk", StringComparison.Ordinal) && sdk is null ? Messages.Text("emulator.http.no-sdk") : Messages.Text("emulator.http.not-found"));
    }

    /// <summary>Stops serving (open connections are cut after a short grace) and deletes the temp folder.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _app.StopAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Connections still open after the grace period are dropped by DisposeAsync below.
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        Certificate?.Dispose();
        try
        {
            Directory.Delete(TempDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone.
        }
    }
}
