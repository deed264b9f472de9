using EsxiImport.Fuse.Connection;

using Serilog.Events;

namespace EsxiImport.EsxiFuse.Datastores;

/// <summary>Maps the FUSE layer's log levels onto the tool's logger.</summary>
internal static class FuseLogLevels
{
    public static LogEventLevel ToSerilog(this FuseLogLevel level) => level switch
    {
        FuseLogLevel.Trace => LogEventLevel.Verbose,
        FuseLogLevel.Debug => LogEventLevel.Debug,
        FuseLogLevel.Warning => LogEventLevel.Warning,
        _ => LogEventLevel.Error,
    };
}
