using EsxiImport.Emulator.Http;
using EsxiImport.Emulator.Scenarios;
using EsxiImport.Emulator.Sessions;
using EsxiImport.Emulator.Soap;

namespace EsxiImport.IntegrationTests.Listing;

/// <summary>
/// The real emulator host (HTTPS with its generated self-signed certificate, or plain HTTP) on an
/// ephemeral 127.0.0.1 port, keeping a handle on its <see cref="SdkService"/> so tests can check
/// views and paging state. Disposing stops it.
/// </summary>
internal sealed class SdkTestHost : IAsyncDisposable
{
    private SdkTestHost(EmulatorHost host, SdkService sdk)
    {
        Host = host;
        Sdk = sdk;
    }

    public EmulatorHost Host { get; }

    public SdkService Sdk { get; }

    public SessionStore Sessions => Host.Sessions;

    public int Port => Host.BaseUri.Port;

    public Uri BaseUri => Host.BaseUri;

    public static async Task<SdkTestHost> StartAsync(Scenario scenario, bool https = true, IReadOnlyList<string>? faults = null)
    {
        SdkService? sdk = null;
        var host = await EmulatorHost.StartAsync(scenario, new EmulatorOptions
        {
            UseHttps = https,
            FaultRules = faults ?? [],
            SdkHandlerFactory = (s, sessions) => sdk = new SdkService(s, sessions),
        });
        return new SdkTestHost(host, sdk!);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
