using System.Diagnostics;
using System.Globalization;
using System.Text;

using EsxiImport.Diagnostics;
using EsxiImport.Fuse.Native;
using EsxiImport.IntegrationTests.Plugin;
using EsxiImport.TestSupport.Plugin;

namespace EsxiImport.IntegrationTests.Golden;

/// <summary>
/// The regression gate over spec/cases: every case folder is one row per launcher. <c>csharp</c>
/// runs the tool through <see cref="PluginLauncher"/> three times (the pre-2025 single fork, which
/// sees the tool's stderr, ready-fd bytes and exit code; today's double fork; the May 2024 variant)
/// and compares every expected file; <c>perl</c> runs the two plugin variants through the Perl
/// harness, the final judge of what the plugin would say; <c>listing</c> runs esxi-listvms.
/// ACCEPT=1 rewrites the expected files from the csharp and listing rows.
/// </summary>
public static class GoldenCaseRunner
{
    private static readonly TimeSpan PluginTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(15);

    /// <summary>Rows of one launcher: <c>csharp</c> (mount cases and the listing cases) or <c>perl</c> (mount cases).</summary>
    public static TheoryData<string, string> Cases(string launcher)
    {
        var data = new TheoryData<string, string>();

        // GOLDEN_CASE=<id> runs one case (scripts/run-case.sh).
        var only = Environment.GetEnvironmentVariable("GOLDEN_CASE") is { Length: > 0 } one ? one : null;
        foreach (var id in GoldenCase.AllIds().Where(id => only is null || id == only))
        {
            var tool = GoldenCase.Load(id).Tool;
            if (launcher == "perl" && tool != "listing")
            {
                // A diagnosis is not started by the plugin: its Perl row decodes the JSON report as the plugin's Perl would.
                data.Add(id, tool == "diagnose" ? "diagnose-json" : "perl");
            }
            else if (launcher == "csharp")
            {
                data.Add(id, tool switch { "listing" => "listing", "diagnose" => "diagnose", _ => "csharp" });
            }
        }

        return data;
    }

    public static async Task RunAsync(string id, string runner)
    {
        var c = GoldenCase.Load(id);
        var outcome = new CaseOutcome(c, runner);
        try
        {
            switch (runner)
            {
                case "listing":
                    await Bounded(c, "esxi-listvms", box => ListingAsync(box, outcome));
                    break;
                case "diagnose":
                    await Bounded(c, "esxi-folder-fuse --diagnose", box => DiagnoseAsync(box, outcome));
                    break;
                case "diagnose-json":
                    await Bounded(c, "esxi-folder-fuse --diagnose-json", box => DiagnoseJsonAsync(box, outcome));
                    break;
                case "csharp":
                    // Three runs side by side, each in its own sandbox; they must agree on stderr and syslog.
                    await Task.WhenAll(
                        Bounded(c, "C# pre-2025 variant", box => CSharpReferenceAsync(box, outcome)),
                        Bounded(c, "C# today", box => CSharpVariantAsync(box, outcome, PluginVariant.Today, "plugin-today")),
                        Bounded(c, "C# May 2024", box => CSharpVariantAsync(box, outcome, PluginVariant.May2024, "plugin-may2024")));
                    break;
                default:
                    await Task.WhenAll(
                        Bounded(c, "Perl today", box => PerlAsync(box, outcome, PluginVariant.Today, "plugin-today")),
                        Bounded(c, "Perl May 2024", box => PerlAsync(box, outcome, PluginVariant.May2024, "plugin-may2024")));
                    break;
            }
        }
        finally
        {
            outcome.Report();
        }

        if (CaseOutcome.Accepting && runner != "perl")
        {
            outcome.Accept();
        }

        outcome.ThrowIfDifferent();
    }

    /// <summary>
    /// One run in its own sandbox with a hard limit. On a hang the sandbox is disposed anyway: that
    /// kills the tool, unmounts and deletes, which also ends the abandoned run.
    /// </summary>
    private static async Task Bounded(GoldenCase c, string what, Func<CaseSandbox, Task> run)
    {
        await using var box = await CaseSandbox.CreateAsync(c);
        try
        {
            await run(box).WaitAsync(RunLimit);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"case {c.Id}: the {what} run did not finish within {RunLimit.TotalSeconds} s (hang)");
        }
    }

    private static async Task CSharpReferenceAsync(CaseSandbox box, CaseOutcome outcome)
    {
        var c = box.Case;
        using var killer = KillBeforeReady(box);
        var result = await PluginLauncher.LaunchAsync(Request(c, box, PluginVariant.Pre2025), r => Settle(box, r.Ok, outcome));
        outcome.Check("stderr", box.Normalise(result.Stderr));
        outcome.Check("ready-fd", box.Normalise(Encoding.UTF8.GetString(result.ReadyBytes)));
        outcome.Check("exit", (result.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "still running") + "\n");
        outcome.Check("syslog", box.Normalise(CaseOutcome.SyslogText(box.Syslog())));
    }

    private static async Task CSharpVariantAsync(CaseSandbox box, CaseOutcome outcome, PluginVariant variant, string file)
    {
        var c = box.Case;
        using var killer = KillBeforeReady(box);
        var result = await PluginLauncher.LaunchAsync(Request(c, box, variant), r => Settle(box, r.Ok, outcome));
        outcome.Check(file, box.Normalise(result.PluginText) + "\n");
        if (variant == PluginVariant.May2024)
        {
            // The variant sends stderr into the ready pipe; nothing may reach the worker's stderr.
            if (result.Stderr.Length > 0)
            {
                outcome.Fail("stderr reached the worker although the May 2024 variant redirects it: " + result.Stderr);
            }
        }
        else
        {
            outcome.Check("stderr", box.Normalise(result.Stderr));
        }

        outcome.Check("syslog", box.Normalise(CaseOutcome.SyslogText(box.Syslog())));
    }

    private static async Task PerlAsync(CaseSandbox box, CaseOutcome outcome, PluginVariant variant, string file)
    {
        var c = box.Case;
        using var killer = KillBeforeReady(box);
        var text = await PerlHarness.RunAsync(Request(c, box, variant));
        await Settle(box, text == "ok", outcome);
        outcome.Check(file, box.Normalise(text) + "\n");
        outcome.Check("syslog", box.Normalise(CaseOutcome.SyslogText(box.Syslog())));
    }

    private static async Task ListingAsync(CaseSandbox box, CaseOutcome outcome)
    {
        var (stdout, stderr, exit) = await RunToolAsync(CaseSandbox.ListingToolPath, box.Case.Args.Select(box.Fill));
        outcome.Check("stdout", box.Normalise(stdout));
        outcome.Check("stderr", box.Normalise(stderr));
        outcome.Check("exit", exit.ToString(CultureInfo.InvariantCulture) + "\n");
    }

    /// <summary>The human report: stdout with the measured figures masked, stderr, exit code.</summary>
    private static async Task DiagnoseAsync(CaseSandbox box, CaseOutcome outcome)
    {
        var (stdout, stderr, exit) = await RunToolAsync(ToolUnderTest.ToolPath, box.Case.Args.Select(box.Fill), box.Environment);
        outcome.Check("stdout", DiagnoseMask.Text(box.Normalise(stdout)));
        outcome.Check("stderr", box.Normalise(stderr));
        outcome.Check("exit", exit.ToString(CultureInfo.InvariantCulture) + "\n");
    }

    /// <summary>
    /// The JSON report, decoded by Perl's JSON module (the plugin's decoder, an independent peer),
    /// its measured figures masked there, and written back canonically; the exit code must be the
    /// human run's.
    /// </summary>
    private static async Task DiagnoseJsonAsync(CaseSandbox box, CaseOutcome outcome)
    {
        var (stdout, stderr, exit) = await RunToolAsync(ToolUnderTest.ToolPath, box.Case.Args.Select(box.Fill).Append("--diagnose-json"), box.Environment);
        outcome.Check("report.json", box.Normalise(await DiagnoseMask.JsonThroughPerlAsync(stdout)));
        outcome.Check("stderr", box.Normalise(stderr));
        outcome.Check("exit", exit.ToString(CultureInfo.InvariantCulture) + "\n");
    }

    private static async Task<(string Stdout, string Stderr, int Exit)> RunToolAsync(string tool, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        try
        {
            await p.WaitForExitAsync().WaitAsync(RunLimit - TimeSpan.FromSeconds(5));
        }
        finally
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
            }
        }

        return (await stdout, await stderr, p.ExitCode);
    }

    private static PluginLaunchRequest Request(GoldenCase c, CaseSandbox box, PluginVariant variant)
    {
        var p = c.Plugin;
        return new PluginLaunchRequest
        {
            ToolCommand = [ToolUnderTest.ToolPath, .. c.ExtraArgs.Select(box.Fill)],
            Host = box.Fill(p.Host),
            ManifestPath = box.Fill(p.Manifest),
            MountPath = box.Fill(p.MountPath),
            User = box.Fill(p.User),
            PasswordFile = box.Fill(p.PasswordFile),
            ChangeUser = p.ChangeUser,
            ChangeGroup = p.ChangeGroup,
            MountOptions = p.O,
            SkipCertificateVerification = p.SkipCertVerification,
            Variant = variant,
            Timeout = PluginTimeout,
            Environment = box.Environment,
        };
    }

    /// <summary>
    /// After the plugin's decision: a healthy mount is left to finish its VM checks, then unmounted
    /// as an administrator would; either way the tool must be gone before the outputs are read.
    /// </summary>
    private static async Task Settle(CaseSandbox box, bool pluginSaidOk, CaseOutcome outcome)
    {
        if (pluginSaidOk && box.Case.Setup.SignalNumber is null)
        {
            var checkedPrefix = Messages.Format("esxi-folder-fuse.vm.checked", ("count", "\u0001"), ("broken", "\u0001")).Split('\u0001')[0];
            if (!await box.WaitForRecordAsync(checkedPrefix, SettleLimit))
            {
                outcome.Fail($"no \"{checkedPrefix}…\" record within {SettleLimit.TotalSeconds} s after ready");
            }

            if (LibC.Umount2(box.MountPath, 0) != 0)
            {
                outcome.Fail("unmounting the healthy mount failed: " + LibC.Describe(System.Runtime.InteropServices.Marshal.GetLastPInvokeError()));
            }
        }

        if (!await ToolProcesses.WaitGoneAsync(box.Dir, SettleLimit))
        {
            outcome.Fail($"the tool was still running {SettleLimit.TotalSeconds} s after the plugin's decision");
        }
        else if (!box.Case.Setup.KillBeforeReady && box.LeftMounts() is { Count: > 0 } left)
        {
            // Only SIGKILL may leave a (dead) mount behind; whatever else ended the tool, it unmounted.
            outcome.Fail("left mounted at the mount path: " + string.Join(", ", left));
        }

        // Records sent just before exit are in the socket already; read them now.
        box.Syslog();
    }

    /// <summary>
    /// For kill-before-ready and signal-before-ready cases: signals the tool once it waits — the
    /// host has seen its first request, or the tool holds the manifest FIFO open.
    /// </summary>
    private static CancellationTokenSource? KillBeforeReady(CaseSandbox box)
    {
        if (box.Case.Setup.SignalNumber is not { } signal)
        {
            return null;
        }

        var stop = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var tools = ToolProcesses.Find(box.Dir);
                var waiting = box.Emulator!.RequestLog.Entries.Count > 0
                    ? tools
                    : tools.Where(pid => ToolProcesses.HoldsOpen(pid, box.ManifestPath) && box.Case.Setup.Manifest == "fifo").ToList();
                if (waiting.Count > 0)
                {
                    foreach (var pid in waiting)
                    {
                        ToolProcesses.Signal(pid, signal);
                    }

                    return;
                }

                await Task.Delay(10);
            }
        });
        return stop;
    }
}

/// <summary>Every case through the C# PluginLauncher (and the listing cases through esxi-listvms).</summary>
public sealed class GoldenCasesThroughCSharp
{
    public static TheoryData<string, string> Cases() => GoldenCaseRunner.Cases("csharp");

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Case_shows_the_expected_texts(string id, string runner) => GoldenCaseRunner.RunAsync(id, runner);
}

/// <summary>Every mount case through the Perl harness, the plugin's own language (the final judge).</summary>
public sealed class GoldenCasesThroughPerl
{
    public static TheoryData<string, string> Cases() => GoldenCaseRunner.Cases("perl");

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Case_shows_the_expected_texts(string id, string runner) => GoldenCaseRunner.RunAsync(id, runner);
}
