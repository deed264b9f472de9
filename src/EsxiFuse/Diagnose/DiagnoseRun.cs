using EsxiImport.EsxiFuse.Cli;
using EsxiImport.EsxiFuse.Esxi;
using EsxiImport.EsxiFuse.Startup;
using EsxiImport.FieldReport.Recording;
using EsxiImport.FieldReport.Redaction;

namespace EsxiImport.EsxiFuse.Diagnose;

/// <summary>
/// <c>--diagnose</c>: runs a <see cref="Diagnosis"/> and prints its report on stdout, for people
/// (colour only when stdout is a terminal) or as JSON. Nothing goes to syslog or a ready fd: a
/// diagnosis is run by a person or a tool, not by the plugin. With <c>--record FILE</c> the
/// exchange with the host (SOAP and /folder, never a password, cookie or disk contents) is written
/// there as a HAR recording, whether the diagnosis passes or fails; <c>--redact</c> replaces the
/// same names in the recording as in the report.
/// </summary>
public sealed class DiagnoseRun(FolderClientTuning tuning) : IDiagnoseRun
{
    public async Task<int> RunAsync(MountArguments arguments, DiagnoseOptions options, ToolEnvironment environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        var recording = options.RecordPath is null ? null : new FieldRecording("esxi-folder-fuse --diagnose", options.Redact);
        var diagnosis = new Diagnosis(tuning, arguments, options, recording is null ? null : inner => new HttpRecorder(recording, inner));
        DiagnoseReport report;
        try
        {
            report = await diagnosis.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The names the manifest holds are known only now; the recording is written either way.
            if (recording is not null)
            {
                ReportRedaction.Fill(recording.Redactor, arguments.Host, diagnosis.Manifest);
                recording.Save(options.RecordPath!);
            }
        }

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
            var redactor = ReportRedaction.Fill(recording?.Redactor ?? new Redactor(), arguments.Host, diagnosis.Manifest);
            await environment.Stdout.WriteAsync(redactor.Apply(text.ToString())).ConfigureAwait(false);
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
