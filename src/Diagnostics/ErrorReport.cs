namespace EsxiImport.Diagnostics;

/// <summary>
/// The three renderings of a fatal error, one per channel (see spec/README.md, "Early errors"):
/// the stderr line, the syslog record, and the line written to the plugin's ready fd.
/// </summary>
public static class ErrorReport
{
    /// <summary><c>Error: &lt;top message&gt;</c>, one line, as upstream prints it.</summary>
    public static string StderrLine(Exception error) => "Error: " + ErrorChain.Of(error).FirstOrDefault();

    /// <summary>
    /// <c>Error:</c> followed by every message of the chain on its own line after one space
    /// (<c>Error: a\n b\n c</c>), the format the seed thread settled on for syslog.
    /// </summary>
    public static string SyslogRecord(Exception error) =>
        "Error:" + string.Concat(ErrorChain.Of(error).Select((m, i) => (i == 0 ? " " : "\n ") + m));

    /// <summary>
    /// <c>ERROR: a: b: c</c> plus a newline: the whole chain on one line, so the plugin's
    /// existing <c>/^ERROR: (.*)$/</c> check shows the real cause to the user.
    /// </summary>
    public static string ReadyFdLine(Exception error) => "ERROR: " + string.Join(": ", ErrorChain.Of(error)) + "\n";
}
