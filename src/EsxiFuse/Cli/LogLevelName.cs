using Serilog.Events;

namespace EsxiImport.EsxiFuse.Cli;

/// <summary>The names <c>--log-level</c> accepts: those of Rust's log crate, as upstream's tool took them.</summary>
internal static class LogLevelName
{
    /// <summary>Null means <c>off</c>: nothing is logged.</summary>
    public static bool TryParse(string text, out LogEventLevel? level)
    {
        (var ok, level) = text.ToLowerInvariant() switch
        {
            "off" => (true, (LogEventLevel?)null),
            "error" => (true, LogEventLevel.Error),
            "warn" => (true, LogEventLevel.Warning),
            "info" => (true, LogEventLevel.Information),
            "debug" => (true, LogEventLevel.Debug),
            "trace" => (true, LogEventLevel.Verbose),
            _ => (false, null),
        };
        return ok;
    }
}
