using System.Text;

using EsxiImport.Diagnostics;
using EsxiImport.Emulator.Faults;

namespace EsxiImport.Emulator.Cli;

/// <summary>
/// <c>--request-log FILE</c>: one line per request as its answer ends, so a person reproducing a
/// field report sees what the tool asked and what it got, in the order answers ended (the line
/// is <see cref="RequestLogEntry.ToString"/>). The file is opened before the host starts (a bad path is an argument error), flushed after
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

    public void Write(RequestLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var line = entry.ToString();
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
