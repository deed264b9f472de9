namespace EsxiImport.Fuse.Connection;

/// <summary>How much a log line matters.</summary>
public enum FuseLogLevel
{
    /// <summary>One line per request and per reply (<see cref="Protocol.WireTrace"/>), when tracing is on.</summary>
    Trace,
    Debug,

    /// <summary>Something odd that the server survived (a malformed frame, an unknown interrupt target).</summary>
    Warning,

    /// <summary>A request failed inside the file system (the caller got EIO), or the loop ended on an error.</summary>
    Error,
}

/// <summary>
/// The server's only way to report: the owner decides where lines go (Serilog, syslog, a test's
/// list). Messages are developer texts; user-visible texts come from the exception, which is a
/// <see cref="EsxiImport.Diagnostics.ToolError"/> with catalogue messages where the file system
/// raised one.
/// </summary>
public delegate void FuseLogger(FuseLogLevel level, string message, Exception? exception);
