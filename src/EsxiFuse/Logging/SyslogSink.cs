using System.Globalization;
using System.Net.Sockets;

using EsxiImport.Diagnostics;
using EsxiImport.Fuse.Protocol;

using Serilog.Core;
using Serilog.Events;

namespace EsxiImport.EsxiFuse.Logging;

/// <summary>
/// Serilog sink that sends each event as one datagram to the local syslog socket (no syslog sink
/// package is served, and this one is small). Where the socket is missing, as in a bare
/// container, it says so once on stderr and drops records from then on instead of failing the
/// mount: logging must never be the reason a mount fails.
/// </summary>
public sealed class SyslogSink : ILogEventSink, IDisposable
{
    /// <summary>Environment variable that moves the socket away from /dev/log, for tests.</summary>
    public const string SocketPathVariable = "ESXI_FUSE_SYSLOG_SOCKET";

    public const string DefaultSocketPath = "/dev/log";

    private readonly Lock _gate = new();
    private readonly string _path;
    private readonly TextWriter _complaints;
    private readonly int _pid;
    private Socket? _socket;
    private bool _complained;

    public SyslogSink(string path, TextWriter complaints)
    {
        _path = path;
        _complaints = complaints;
        _pid = Environment.ProcessId;
        _socket = TryConnect();
    }

    /// <summary>The socket path from <see cref="SocketPathVariable"/>, or /dev/log.</summary>
    public static string SocketPathFromEnvironment() =>
        Environment.GetEnvironmentVariable(SocketPathVariable) is { Length: > 0 } p ? p : DefaultSocketPath;

    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        var text = logEvent.RenderMessage(CultureInfo.InvariantCulture);
        if (logEvent.Exception is { } e)
        {
            text += ": " + string.Join(": ", ErrorChain.Of(e));
        }

        // Names in a record (a VM, a path) may carry control characters; line feeds stay, they
        // separate the lines of an error chain.
        var record = SyslogRecord.Format(logEvent.Level, logEvent.Timestamp.LocalDateTime, _pid, ControlCharacters.Escape(text, keepLineFeeds: true));
        lock (_gate)
        {
            // One reconnect attempt per record: the daemon may have restarted since the last one.
            for (var attempt = 0; attempt < 2; attempt++)
            {
                _socket ??= attempt == 0 ? null : TryConnect();
                if (_socket is null)
                {
                    continue;
                }

                try
                {
                    _socket.Send(record);
                    return;
                }
                catch (SocketException busy) when (busy.SocketErrorCode == SocketError.WouldBlock)
                {
                    // The log daemon is not reading (its queue is full). Waiting for it would stall
                    // every thread that logs, the FUSE readers included, so the record is dropped.
                    return;
                }
                catch (SocketException)
                {
                    _socket.Dispose();
                    _socket = null;
                }
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _socket?.Dispose();
            _socket = null;
        }
    }

    private Socket? TryConnect()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(_path));
            socket.Blocking = false;
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            if (!_complained)
            {
                _complained = true;
                _complaints.WriteLine(Messages.Format(
                    "esxi-folder-fuse.syslog.unavailable", ("path", _path), ("error", File.Exists(_path) ? e.Message : Os.OsError.Of(Errno.ENOENT).Message)));
                _complaints.Flush();
            }

            return null;
        }
    }
}
