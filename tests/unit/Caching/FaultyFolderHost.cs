using System.Net;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EsxiImport.UnitTests.Caching;

/// <summary>
/// A Kestrel /folder server on 127.0.0.1 serving one file with Range support, which spoils a
/// seeded share of range answers the ways hosts do (FB-25, FB-26): 500, 503, a body cut off
/// by a reset, the wrong content type, a lying Content-Range, or a stall longer than the
/// client's timeout. It counts requests in flight so tests can check the client's limit.
/// </summary>
public sealed class FaultyFolderHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Random _random;
    private readonly double _faultShare;
    private int _inFlight;
    private int _peakInFlight;
    private int _faults;

    private FaultyFolderHost(WebApplication app, byte[] content, int seed, double faultShare)
    {
        _app = app;
        Content = content;
        _random = new Random(seed);
        _faultShare = faultShare;
    }

    public byte[] Content { get; }

    public int Port { get; private set; }

    public int PeakInFlight => Volatile.Read(ref _peakInFlight);

    public int Faults => Volatile.Read(ref _faults);

    public static async Task<FaultyFolderHost> StartAsync(byte[] content, int seed, double faultShare)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http1));
        var app = builder.Build();
        var host = new FaultyFolderHost(app, content, seed, faultShare);
        app.Run(host.ServeAsync);
        await app.StartAsync();
        host.Port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task ServeAsync(HttpContext context)
    {
        var now = Interlocked.Increment(ref _inFlight);
        for (var peak = Volatile.Read(ref _peakInFlight); now > peak; peak = Volatile.Read(ref _peakInFlight))
        {
            Interlocked.CompareExchange(ref _peakInFlight, now, peak);
        }

        try
        {
            await AnswerAsync(context);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var response = context.Response;
        var range = context.Request.GetTypedHeaders().Range?.Ranges.Single();
        var total = Content.Length;
        var first = (int)(range?.From ?? 0);
        if (first >= total)
        {
            response.StatusCode = 416;
            response.Headers.ContentRange = $"bytes */{total}";
            return;
        }

        var last = (int)Math.Min(range?.To ?? (total - 1), total - 1);
        int fault;
        lock (_random)
        {
            fault = _random.NextDouble() < _faultShare ? _random.Next(6) : -1;
        }

        if (fault >= 0)
        {
            Interlocked.Increment(ref _faults);
        }

        switch (fault)
        {
            case 0:
                response.StatusCode = 500;
                return;
            case 1:
                response.StatusCode = 503;
                return;
            case 5:
                await Task.Delay(TimeSpan.FromMilliseconds(400), context.RequestAborted);
                break;
            default:
                break;
        }

        response.StatusCode = 206;
        response.ContentType = fault == 3 ? "text/html" : "application/octet-stream";
        var claimedFirst = fault == 4 ? first + 1 : first;
        response.Headers.ContentRange = $"bytes {claimedFirst}-{last}/{total}";
        var length = last - first + 1;
        response.ContentLength = length;
        if (fault == 2)
        {
            // A body cut in the middle: half of it, then a reset.
            await response.Body.WriteAsync(Content.AsMemory(first, length / 2), context.RequestAborted);
            await response.Body.FlushAsync(context.RequestAborted);
            context.Abort();
            return;
        }

        await response.Body.WriteAsync(Content.AsMemory(first, length), context.RequestAborted);
    }
}
