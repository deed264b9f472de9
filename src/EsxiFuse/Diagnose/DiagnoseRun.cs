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
        var diagnosis = new Diagnosis(tuning, arguments, options, wrap: null);
        var report = await diagnosis.RunAsync(cancellationToken).ConfigureAwait(false);
        var terminal = ReferenceEquals(environment.Stdout, Console.Out) && !Console.IsOutputRedirected;
        if (!options.Redact)
        {
            Render(report, environment.Stdout, options.Json, terminal);
        }
        else
        {
            // Redacted reports are for pasting: plain text, so that no colour code splits a name.
            using var text = new StringWriter();
            Render(report with { Redacted = true }, text, options.Json, terminal: false);
            await environment.Stdout.WriteAsync(ReportRedaction.For(arguments.Host, diagnosis.Manifest).Apply(text.ToString())).ConfigureAwait(false);
        }

        await environment.Stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
        return report.ExitCode;
    }

    private static void Render(DiagnoseReport report, TextWriter writer, bool json, bool terminal)
    {
        if (json)
        {
            writer.Write(ReportJson.Render(report));
        }
        else
        {
            ReportText.Write(report, writer, terminal, terminal ? Console.WindowWidth : null);
        }
    }
}
