using System.Globalization;
using System.Text;

using EsxiImport.Diagnostics;
using EsxiImport.Emulator.Faults;

namespace EsxiImport.Emulator.Cli;

/// <summary>
/// <c>--request-log FILE</c>: one line per request as its answer ends, so a person reproducing a
/// field report sees what the tool asked and what it got, in the order answers ended:
/// <code>2026-12-06T05:41:02.123Z #17 GET /folder/vm/vm-flat.vmdk?dcPath=…&amp;dsName=… HTTP/1.1 range=bytes=0-131071 in-flight=3 -> 206 131072 B 12.3 ms rules=2</code>
/// The file is opened before the host starts (a bad path is an argument error), flushed after
/// every line, and a failed write stops the log with one line on stderr instead of failing requests.
/// </summary>
internal sealed class RequestLogWriter : IDisposable
{
    private readonly Lock _gate = new();
    private readonly string _path;
    private StreamWriter? _writer;

    private RequestLogWriter(string path, StreamWriter writer)
    {
        _path = path;
        _writer = writer;
    }

    /// <summary>Creates (or truncates) <paramref name="path"/>.</summary>
    public static RequestLogWriter Open(string path)
    {
        try
        {
            var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
            return new RequestLogWriter(path, new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ToolError.Of("emulator.request-log.unwritable", ErrorKind.InvalidInput, ("file", path), ("reason", ErrorChain.OneLine(e.Message)));
        }
    }

    /// <summary>The line of one ended request.</summary>
    public static string Line(RequestLogEntry e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var rules = e.FaultsApplied.Count == 0 ? "-" : string.Join(',', e.FaultsApplied);
        var ms = (e.Duration ?? TimeSpan.Zero).TotalMilliseconds;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{e.Arrived.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'} #{e.Sequence} {e.Method} {e.Target} {e.Protocol} range={e.Range ?? "-"} in-flight={e.ConcurrencyAtArrival} -> {e.Status} {e.BytesSent} B {ms:F1} ms rules={rules}");
    }

    public void Write(RequestLogEntry entry)
    {
        var line = Line(entry);
        lock (_gate)
        {
            if (_writer is null)
            {
                return;
            }

            try
            {
                _writer.WriteLine(line);
            }
            catch (IOException e)
            {
                Console.Error.WriteLine(Messages.Format("emulator.request-log.stopped", ("file", _path), ("reason", ErrorChain.OneLine(e.Message))));
                Close();
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            Close();
        }
    }

    private void Close()
    {
        try
        {
            _writer?.Dispose();
        }
        catch (IOException)
        {
            // The stop was already reported; nothing more can be written.
        }

        _writer = null;
    }
}
