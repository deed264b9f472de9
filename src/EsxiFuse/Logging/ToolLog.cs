using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace EsxiImport.EsxiFuse.Logging;

/// <summary>
/// The tool's logger: syslog always (at the chosen level), stderr as well with <c>--debug</c>
/// until ready. User-visible texts are logged through <see cref="Text"/>, so Serilog prints them
/// as they are (no quotes around a string property).
/// </summary>
public sealed class ToolLog : IDisposable
{
    private readonly SyslogSink _syslog;
    private readonly StderrDebugSink? _stderr;

    public ToolLog(LogEventLevel? level, bool debug, string syslogPath, TextWriter stderr)
    {
        _syslog = new SyslogSink(syslogPath, stderr);
        _stderr = debug ? new StderrDebugSink(stderr) : null;
        var config = new LoggerConfiguration().MinimumLevel.Is(level ?? LogEventLevel.Fatal);
        if (level is not null)
        {
            config = config.WriteTo.Sink(_syslog);
            if (_stderr is not null)
            {
                config = config.WriteTo.Sink(_stderr);
            }
        }

        Logger = config.CreateLogger();
    }

    public Logger Logger { get; }

    /// <summary>Logs a finished text (from the catalogue) without template processing.</summary>
    public void Text(LogEventLevel level, string text) => Logger.Write(level, "{Text:l}", text);

    /// <summary>
    /// Logs the early-error record. It goes to syslog even with <c>--log-level off</c>: the seed
    /// thread's point is that this record is the only place the whole chain is kept.
    /// </summary>
    public void EarlyError(string record)
    {
        if (Logger.IsEnabled(LogEventLevel.Error))
        {
            Text(LogEventLevel.Error, record);
        }
        else
        {
            _syslog.Emit(new LogEvent(
                DateTimeOffset.Now,
                LogEventLevel.Error,
                null,
                new MessageTemplate([new Serilog.Parsing.TextToken(record)]),
                []));
        }
    }

    /// <summary>Called once ready: from here on stderr may not be ours to write to.</summary>
    public void StopStderr() => _stderr?.Disable();

    public void Dispose()
    {
        Logger.Dispose();
        _syslog.Dispose();
    }
}
