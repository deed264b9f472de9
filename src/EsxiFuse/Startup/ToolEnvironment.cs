namespace EsxiImport.EsxiFuse.Startup;

/// <summary>
/// The process surroundings the startup writes to. Program.cs passes the real ones; in-process
/// tests pass writers, a temporary syslog socket and pipe fds of their own.
/// </summary>
/// <param name="Stdout">Usage text for <c>--help</c>, the version.</param>
/// <param name="Stderr">Argument errors, the <c>Error:</c> line, debug logging before ready.</param>
/// <param name="SyslogSocketPath">The syslog datagram socket (normally /dev/log).</param>
/// <param name="StdFds">The fds of stdin, stdout and stderr (stderr last): pointed at /dev/null at ready, and checked for sharing the ready pipe.</param>
/// <param name="OwnsProcess">
/// The tool is the process: it handles SIGTERM/SIGINT/SIGHUP (see <see cref="Interruption"/>) and
/// reports any exception nothing caught (see <see cref="FatalReport.Install"/>). Tests that run
/// the tool in-process pass false.
/// </param>
public sealed record ToolEnvironment(
    TextWriter Stdout,
    TextWriter Stderr,
    string SyslogSocketPath,
    IReadOnlyList<int> StdFds,
    bool OwnsProcess)
{
    public static ToolEnvironment FromProcess() => new(
        Console.Out,
        Console.Error,
        Logging.SyslogSink.SocketPathFromEnvironment(),
        [0, 1, 2],
        OwnsProcess: true);
}
