using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

using EsxiImport.Emulator.Http;
using EsxiImport.Emulator.Scenarios;
using EsxiImport.IntegrationTests.Reliability;

namespace EsxiImport.IntegrationTests.Emulator;

/// <summary>
/// The emulator's host model on the wire: the time to first byte and the byte rates hold back
/// answers (lower bounds only: a loaded machine can only be slower), the bytes stay right, and
/// a connection above the limit is closed on accept and counted.
/// </summary>
public sealed class HostModelTests
{
    private const string Flat = "vm0/vm0-flat.vmdk";

    private static Task<EmulatorFixture> StartAsync(HostLimits limits, Version? version = null) =>
        EmulatorFixture.StartAsync(DiskScenario.Of([4L << 20]), new EmulatorOptions { Limits = limits }, version);

    private static async Task<TimeSpan> TimeAsync(EmulatorFixture f, int requests, int bytes)
    {
        var sw = Stopwatch.StartNew();
        var answers = await Task.WhenAll(Enumerable.Range(0, requests).Select(async i =>
        {
            using var r = await f.GetAsync("ds", Flat, $"bytes={i * bytes}-{((i + 1) * bytes) - 1}");
            r.StatusCode.Should().Be(HttpStatusCode.PartialContent);
            return (i, await r.Content.ReadAsByteArrayAsync());
        }));
        foreach (var (i, body) in answers)
        {
            body.Should().Equal(f.Expected("ds", Flat, i * bytes, bytes));
        }

        return sw.Elapsed;
    }

    [Fact]
    public async Task The_first_byte_waits_and_each_request_gets_its_own_rate()
    {
        await using var f = await StartAsync(new HostLimits { StreamBytesPerSecond = 1 << 20, FirstByteDelay = TimeSpan.FromMilliseconds(200) });
        f.Host.Limits.StreamBytesPerSecond.Should().Be(1 << 20);

        // 256 KiB at 1 MiB/s after 200 ms; two such requests side by side take no longer than one.
        (await TimeAsync(f, 1, 256 << 10)).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(440));
        (await TimeAsync(f, 2, 256 << 10)).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(440));
    }

    [Fact]
    public async Task The_total_rate_is_shared_by_every_request()
    {
        await using var f = await StartAsync(new HostLimits { TotalBytesPerSecond = 1 << 20 });
        (await TimeAsync(f, 4, 128 << 10)).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(450), "4 × 128 KiB at 1 MiB/s in all");
    }

    [Fact]
    public async Task The_connection_rate_is_shared_by_the_h2_streams_of_one_connection()
    {
        await using var f = await StartAsync(new HostLimits { ConnectionBytesPerSecond = 1 << 20, StreamBytesPerSecond = 64L << 20 }, HttpVersion.Version20);
        (await TimeAsync(f, 4, 128 << 10)).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(450), "4 streams × 128 KiB at 1 MiB/s on one connection");
        f.Host.Counters.MaxConnectionsOpen.Should().Be(1);
    }

    [Fact]
    public async Task A_connection_above_the_limit_is_closed_on_accept_and_counted()
    {
        await using var f = await StartAsync(new HostLimits { MaxConnections = 1 });
        var endpoint = new IPEndPoint(IPAddress.Loopback, f.Host.BaseUri.Port);
        using var first = new TcpClient();
        await first.ConnectAsync(endpoint);
        await WaitForAsync(() => f.Host.Counters.MaxConnectionsOpen == 1);

        using var second = new TcpClient();
        await second.ConnectAsync(endpoint);
        var buffer = new byte[1];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var read = await ReadOrResetAsync(second, buffer, timeout.Token);
        read.Should().Be(0, "the host closes the connection without a byte");
        f.Host.Counters.ConnectionsRefused.Should().Be(1);

        first.Close();
        await WaitForAsync(() => TryGet(f).Result);
        f.Host.Counters.MaxConnectionsOpen.Should().Be(1);
    }

    private static async Task<bool> TryGet(EmulatorFixture f)
    {
        try
        {
            using var r = await f.GetAsync("ds", Flat, "bytes=0-0");
            return r.StatusCode == HttpStatusCode.PartialContent;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static async Task<int> ReadOrResetAsync(TcpClient client, byte[] buffer, CancellationToken ct)
    {
        try
        {
            return await client.GetStream().ReadAsync(buffer, ct);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        condition().Should().BeTrue();
    }
}
