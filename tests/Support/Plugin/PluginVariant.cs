namespace EsxiImport.TestSupport.Plugin;

/// <summary>The versions of ESXiPlugin.pm's <c>esxi_mount</c> whose launch protocol we reproduce.</summary>
public enum PluginVariant
{
    /// <summary>
    /// Since July 2025 (fix #6073): setsid, a second fork whose parent exits at once and is reaped
    /// with a blocking wait, stderr not redirected. The tool's exit status cannot be observed
    /// (FB-09): no <c>ERROR:</c> line means success.
    /// </summary>
    Today,

    /// <summary>
    /// May 2024 (reverted June 2024): single fork, stderr redirected into the ready pipe, the
    /// regex case-insensitive. A healthy tool that keeps stderr open never gives EOF (FB-08).
    /// </summary>
    May2024,

    /// <summary>Before July 2025: single fork, stderr not redirected, exit status observable.</summary>
    Pre2025,
}
