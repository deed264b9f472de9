using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace EsxiImport.IntegrationTests.Support;

/// <summary>
/// A datagram socket a test owns and points the tool's syslog at (<c>ESXI_FUSE_SYSLOG_SOCKET</c>).
/// Records are read when asked for, in order of arrival, as their message part (after <c>tag[pid]: </c>).
/// </summary>
public sealed class SyslogSink : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly List<string> _records = [];

    public SyslogSink(string path)
    {
        Path = path;
        _socket.Bind(new UnixDomainSocketEndPoint(path));
    }

    public string Path { get; }

    /// <summary>Every record received so far.</summary>
    public IReadOnlyList<string> Records()
    {
        var buffer = new byte[65536];
        while (_socket.Available > 0)
        {
            var text = Encoding.UTF8.GetString(buffer, 0, _socket.Receive(buffer));
            _records.Add(text[(text.IndexOf("]: ", StringComparison.Ordinal) + 3)..]);
        }

        return _records;
    }

    /// <summary>The first record that starts with <paramref name="prefix"/>; null when none came within the deadline.</summary>
    public async Task<string?> WaitForAsync(string prefix, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < deadline)
        {
            if (Records().FirstOrDefault(r => r.StartsWith(prefix, StringComparison.Ordinal)) is { } record)
            {
                return record;
            }

            await Task.Delay(20);
        }

        return null;
    }

    public void Dispose() => _socket.Dispose();
}
