using EsxiImport.EsxiFuse.Cli;
using EsxiImport.EsxiFuse.Esxi;
using EsxiImport.EsxiFuse.Startup;

namespace EsxiImport.EsxiFuse.Diagnose;

/// <summary>
/// <c>--diagnose</c>: runs a <see cref="Diagnosis"/> and prints its report on stdout, for people
/// (colour only when stdout is a terminal) or as JSON. Nothing goes to syslog or a ready fd: a
/// diagnosis is run by a person or a tool, not by the plugin.
/// </summary>
public sealed class DiagnoseRun(FolderClientTuning tuning) : IDiagnoseRun
{
    public async Task<int> RunAsync(MountArguments arguments, DiagnoseOptions options, ToolEnvironment environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        var report = await new Diagnosis(tuning, arguments, options, wrap: null).RunAsync(cancellationToken).ConfigureAwait(false);
        if (options.Json)
        {
            await environment.Stdout.WriteAsync(ReportJson.Render(report)).ConfigureAwait(false);
        }
        else
        {
            var terminal = ReferenceEquals(environment.Stdout, Console.Out) && !Console.IsOutputRedirected;
            ReportText.Write(report, environment.Stdout, terminal, terminal ? Console.WindowWidth : null);
        }

        await environment.Stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
        return report.ExitCode;
    }
}
