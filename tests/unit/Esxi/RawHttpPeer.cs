using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EsxiImport.UnitTests.Esxi;

/// <summary>
/// A bare TCP peer on 127.0.0.1 for what a real HTTP server will not do: it records each request
/// head byte for byte (to check the exact request line) and answers with scripted raw bytes,
/// such as a body cut short before its Content-Length, then closes the connection.
/// </summary>
public sealed class RawHttpPeer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Func<int, byte[]> _answer;
    private readonly List<string> _heads = [];

    /// <param name="answer">The raw response for the n-th request (0-based).</param>
    public RawHttpPeer(Func<int, byte[]> answer)
    {
        _answer = answer;
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public IReadOnlyList<string> Heads
    {
        get
        {
            lock (_heads)
            {
                return [.. _heads];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        for (var n = 0; !_stop.IsCancellationRequested; n++)
        {
            using var socket = await _listener.AcceptSocketAsync(_stop.Token);
            var head = await ReadHeadAsync(socket);
            lock (_heads)
            {
                _heads.Add(head);
            }

            await socket.SendAsync(_answer(n), SocketFlags.None, _stop.Token);
            socket.Shutdown(SocketShutdown.Both);
        }
    }

    private async Task<string> ReadHeadAsync(Socket socket)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        while (!Encoding.Latin1.GetString([.. received]).Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
            if (n == 0)
            {
                break;
            }

            received.AddRange(buffer.AsSpan(0, n));
        }

        return Encoding.Latin1.GetString([.. received]);
    }
}
