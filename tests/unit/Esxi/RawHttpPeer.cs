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
    private readonly Func<int, Socket, CancellationToken, Task> _serve;
    private readonly List<string> _heads = [];

    /// <param name="answer">The raw response for the n-th request (0-based).</param>
    public RawHttpPeer(Func<int, byte[]> answer)
        : this((n, socket, ct) => socket.SendAsync(answer(n), SocketFlags.None, ct).AsTask())
    {
    }

    /// <param name="serve">Writes the answer to the n-th request (0-based) on its socket, at its own pace.</param>
    public RawHttpPeer(Func<int, Socket, CancellationToken, Task> serve)
    {
        _serve = serve;
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
        var connections = new List<Task>();
        try
        {
            for (var n = 0; !_stop.IsCancellationRequested; n++)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                var number = n;
                connections.Add(Task.Run(() => ServeAsync(socket, number)));
            }
        }
        finally
        {
            await Task.WhenAll(connections);
        }
    }

    /// <summary>One connection: its head is recorded, then answered; connections are served side by side.</summary>
    private async Task ServeAsync(Socket socket, int n)
    {
        using (socket)
        {
            try
            {
                var head = await ReadHeadAsync(socket);
                lock (_heads)
                {
                    _heads.Add(head);
                }

                await _serve(n, socket, _stop.Token);
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                // The client gave up on this answer and closed the connection, or the peer stops.
            }
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
