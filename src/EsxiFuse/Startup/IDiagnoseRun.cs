using EsxiImport.EsxiFuse.Cli;

namespace EsxiImport.EsxiFuse.Startup;

/// <summary>
/// <c>--diagnose</c>: runs every startup step without serving a mount, prints the report and
/// returns the exit code a mount would have ended its start with (0, or 255 for an early error).
/// </summary>
public interface IDiagnoseRun
{
    Task<int> RunAsync(MountArguments arguments, DiagnoseOptions options, ToolEnvironment environment, CancellationToken cancellationToken);
}
