using System.Runtime.InteropServices;

using EsxiImport.Diagnostics;
using EsxiImport.Emulator.Cli;
using EsxiImport.Emulator.Http;
using EsxiImport.Emulator.Replay;
using EsxiImport.Emulator.Scenarios;

// esxi-emulator: serve a scenario, or replay a recording, until SIGINT/SIGTERM. Exit 2 on bad
// arguments, a bad scenario or a recording that cannot be replayed (one line on stderr), 1 when
// the server cannot start, 0 after a signal.
if (EmulatorCommandLine.AsksForVersion(args))
{
    Console.Out.WriteLine(ProgramVersion.Text);
    return 0;
}

EmulatorCommandLine commandLine;
Scenario scenario;
Recorded? recorded = null;
RequestLogWriter? requestLog = null;
try
{
    commandLine = EmulatorCommandLine.Parse(args);
    if (commandLine.ToScenario.Count > 0)
    {
        var written = RecordingConversion.Write(Recorded.Load(commandLine.ToScenario), commandLine.ToScenario, commandLine.OutDirectory!);
        ScenarioLoader.Load(written[0]);
        foreach (var file in written)
        {
            Console.Out.WriteLine(Messages.Format("emulator.replay.wrote", ("file", file)));
        }

        return 0;
    }

    if (commandLine.Replay.Count > 0)
    {
        recorded = Recorded.Load(commandLine.Replay);
        scenario = ReplayScenario.From(recorded, string.Join(" + ", commandLine.Replay.Select(Path.GetFileName)));
    }
    else
    {
        scenario = ScenarioLoader.Load(commandLine.Scenario!);
    }

    requestLog = commandLine.RequestLogFile is { } logFile ? RequestLogWriter.Open(logFile) : null;
}
catch (ToolError e)
{
    // A recording's messages already end with their cause.
    var problem = e.MessageId.StartsWith("fieldreport.", StringComparison.Ordinal) ? e.Message : string.Join(": ", e.Chain());
    Console.Error.WriteLine(e.MessageId.StartsWith("emulator.cli.", StringComparison.Ordinal)
        ? Messages.Format("emulator.cli.bad-argument", ("problem", problem), ("usage", Messages.Text("emulator.cli.usage")))
        : Messages.Format("emulator.cli.failed", ("reason", problem)));
    return 2;
}

using var stop = new CancellationTokenSource();
void OnSignal(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

EmulatorHost host;
try
{
    host = await EmulatorHost.StartAsync(scenario, new EmulatorOptions
    {
        Address = commandLine.Address,
        Port = commandLine.Port,
        UseHttps = !commandLine.Http,
        FaultRules = commandLine.Faults,
        Limits = commandLine.Limits(scenario.Limits),
        SdkHandlerFactory = recorded is null ? null : (s, sessions) => new ReplaySdk(recorded, s, sessions),
    });
}
catch (ToolError e)
{
    requestLog?.Dispose();
    Console.Error.WriteLine(Messages.Format("emulator.cli.failed", ("reason", string.Join(": ", e.Chain()))));
    return 2;
}
catch (IOException e)
{
    requestLog?.Dispose();
    Console.Error.WriteLine(Messages.Format("emulator.cli.failed", ("reason", ErrorChain.OneLine(e.Message))));
    return 1;
}

using (requestLog)
await using (host)
{
    if (requestLog is not null)
    {
        host.RequestLog.EntryCompleted += requestLog.Write;
    }

    Console.Out.WriteLine(ReadyLine.Render(host));
    Console.Out.Flush();
    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException)
    {
        // A signal: shut down cleanly.
    }

    if (commandLine.CountersFile is { } countersFile)
    {
        await File.WriteAllTextAsync(countersFile, CountersJson.Render(host.Counters));
    }
}

return 0;
