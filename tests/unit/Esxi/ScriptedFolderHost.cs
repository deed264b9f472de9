using System.Net;
using System.Net.Sockets;

using EsxiImport.EsxiFuse.Esxi;

using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace EsxiImport.UnitTests.Esxi;

/// <summary>
/// A WireMock server on 127.0.0.1 that plays the host's <c>/folder</c> API as each test scripts
/// it, plus a client pointed at it with fast retries. Disposing stops both.
/// </summary>
public sealed class ScriptedFolderHost : IDisposable
{
    public const string OctetStream = "application/octet-stream";

    public ScriptedFolderHost()
    {
        Server = WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{FreePort()}"] });
        Address = HostAddress.Parse($"127.0.0.1:{Server.Port}");
    }

    public WireMockServer Server { get; }

    public HostAddress Address { get; }

    public static RemotePath Disk { get; } = new("ha-datacenter", "datastore1", "vm1/disk.vmdk");

    public FolderClientOptions Options(int attempts = 3, TimeSpan? timeout = null) => FastOptions(Server.Port, attempts) with
    {
        RequestTimeout = timeout ?? TimeSpan.FromSeconds(10),
        ConnectTimeout = TimeSpan.FromSeconds(5),
    };

    /// <summary>Options for a plain-HTTP test peer on 127.0.0.1 with the waits between attempts cut to milliseconds.</summary>
    public static FolderClientOptions FastOptions(int port, int attempts) => new()
    {
        Host = HostAddress.Parse($"127.0.0.1:{port}"),
        User = "root",
        Password = "s3cret",
        UseHttps = false,
        MaxAttempts = attempts,
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        RetryMaxDelay = TimeSpan.FromMilliseconds(5),
        RateLimitDelay = TimeSpan.FromMilliseconds(1),
    };

    public FolderClient Client(int attempts = 3, TimeSpan? timeout = null) => new(Options(attempts, timeout));

    /// <summary>Requests to the /folder API, in arrival order.</summary>
    public IReadOnlyList<ILogEntry> Requests => [.. Server.LogEntries.OrderBy(e => e.RequestMessage.DateTime)];

    public static IRequestBuilder Get() => Request.Create().WithPath("/folder/*").UsingGet();

    public static IRequestBuilder Head() => Request.Create().WithPath("/folder/*").UsingHead();

    /// <summary>A 206 for <paramref name="first"/>..<paramref name="last"/> of <paramref name="file"/>.</summary>
    public static IResponseBuilder Partial(byte[] file, long first, long last) => Response.Create()
        .WithStatusCode(206)
        .WithHeader("Content-Type", OctetStream)
        .WithHeader("Content-Range", $"bytes {first}-{last}/{file.Length}")
        .WithBody(file[(int)first..(int)(last + 1)]);

    public static string? Header(ILogEntry entry, string name) =>
        entry.RequestMessage.Headers is { } headers && headers.TryGetValue(name, out var values) ? values.ToString() : null;

    public static byte[] Bytes(int count, int seed = 1)
    {
        var data = new byte[count];
        new Random(seed).NextBytes(data);
        return data;
    }

    public void Dispose()
    {
        Server.Stop();
        Server.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
