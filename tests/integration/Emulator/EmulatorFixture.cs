using System.Net;
using System.Net.Http.Headers;
using System.Text;

using EsxiImport.Emulator.Http;
using EsxiImport.Emulator.Scenarios;

namespace EsxiImport.IntegrationTests.Emulator;

/// <summary>An emulator on an ephemeral loopback port plus an HttpClient that trusts exactly its certificate.</summary>
public sealed class EmulatorFixture : IAsyncDisposable
{
    private EmulatorFixture(EmulatorHost host, HttpClient client)
    {
        Host = host;
        Client = client;
    }

    public EmulatorHost Host { get; }

    /// <summary>No cookie container: every test sets Authorization and Cookie itself.</summary>
    public HttpClient Client { get; }

    public static async Task<EmulatorFixture> StartAsync(Scenario? scenario = null, EmulatorOptions? options = null, Version? httpVersion = null)
    {
        var host = await EmulatorHost.StartAsync(scenario ?? ScenarioLoader.LoadDefault(), options);
        var handler = new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            SslOptions = { RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && host.Certificate is not null && cert.GetCertHashString() == host.Certificate.GetCertHashString() },
        };
        var client = new HttpClient(handler)
        {
            DefaultRequestVersion = httpVersion ?? HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(30),
        };
        return new EmulatorFixture(host, client);
    }

    public AuthenticationHeaderValue Basic(string? user = null, string? password = null) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes((user ?? Host.User.Name) + ":" + (password ?? Host.User.Password))));

    /// <summary>Sends a request with Basic credentials of the scenario's first user unless told otherwise.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri uri, string? range = null, bool auth = true, string? cookie = null)
    {
        var request = new HttpRequestMessage(method, uri)
        {
            Version = Client.DefaultRequestVersion,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        if (auth)
        {
            request.Headers.Authorization = Basic();
        }

        if (range is not null)
        {
            request.Headers.TryAddWithoutValidation("Range", range);
        }

        if (cookie is not null)
        {
            request.Headers.TryAddWithoutValidation("Cookie", cookie);
        }

        return Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string datastore, string path, string? range = null) =>
        SendAsync(HttpMethod.Get, Host.FolderUri(datastore, path), range);

    /// <summary>The expected bytes of a served file, straight from the emulator's tree.</summary>
    public byte[] Expected(string datastore, string path, long offset = 0, long? length = null)
    {
        var file = (EsxiImport.Emulator.Datastore.DatastoreFile)Host.Datastores.Find(Host.Datastores.DefaultDatacenter, datastore)!.Find(path)!;
        var bytes = new byte[length ?? (file.Length - offset)];
        file.Content.Read(offset, bytes);
        return bytes;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
    }
}
