namespace EsxiImport.TestSupport.Plugin;

/// <summary>What the plugin concluded from one activation.</summary>
/// <param name="Message">The text the plugin dies with, or null for success.</param>
/// <param name="ReadyBytes">Every byte read from the ready pipe up to EOF (or the timeout).</param>
/// <param name="Elapsed">Time from spawning to the plugin's decision.</param>
/// <param name="TimedOut">No EOF within the timeout: the activation would hang (FB-08).</param>
/// <param name="ObservedWaitStatus">The raw wait status the plugin saw, if it saw the tool exit.</param>
/// <param name="ToolPid">The tool's pid, so a caller can stop a tool that is still running.</param>
/// <param name="Stderr">What the tool wrote to the worker's stderr (not redirected variants), as far as read.</param>
public sealed record PluginLaunchResult(
    string? Message,
    byte[] ReadyBytes,
    TimeSpan Elapsed,
    bool TimedOut,
    int? ObservedWaitStatus,
    int? ToolPid,
    string Stderr)
{
    public bool Ok => Message is null;

    /// <summary>
    /// The tool's exit code, when the launch was given a <c>whileRunning</c> step and the tool
    /// (a direct child in the single-fork variants) exited in time; null otherwise.
    /// </summary>
    public int? ExitCode { get; init; }

    /// <summary>The plugin's view in one line: its error message, or <c>ok</c>.</summary>
    public string PluginText => Message ?? "ok";
}
