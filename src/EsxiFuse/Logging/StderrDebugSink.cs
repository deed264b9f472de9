using System.Globalization;

using EsxiImport.Diagnostics;

using Serilog.Core;
using Serilog.Events;

namespace EsxiImport.EsxiFuse.Logging;

/// <summary>
/// With <c>--debug</c>, log lines also go to stderr until the mount is ready. After ready stderr
/// may be the plugin's pipe (FB-08) or /dev/null, so the sink is switched off there.
/// </summary>
public sealed class StderrDebugSink(TextWriter stderr) : ILogEventSink
{
    private volatile bool _enabled = true;

    public void Disable() => _enabled = false;

    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        if (!_enabled)
        {
            return;
        }

        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"[{logEvent.Timestamp:HH:mm:ss.fff} {logEvent.Level}] {ControlCharacters.Escape(logEvent.RenderMessage(CultureInfo.InvariantCulture), keepLineFeeds: true)}");
        lock (stderr)
        {
            stderr.WriteLine(line);
            stderr.Flush();
        }
    }
}
