using Serilog.Core;
using Serilog.Events;

namespace EsxiImport.UnitTests.Esxi;

/// <summary>Keeps every log event a test's logger writes, to read back rendered by level.</summary>
public sealed class CollectingSink : ILogEventSink
{
    private readonly List<LogEvent> _events = [];

    public void Emit(LogEvent logEvent)
    {
        lock (_events)
        {
            _events.Add(logEvent);
        }
    }

    public List<string> Lines(LogEventLevel level)
    {
        lock (_events)
        {
            return [.. _events.Where(e => e.Level == level).Select(e => e.RenderMessage())];
        }
    }
}
