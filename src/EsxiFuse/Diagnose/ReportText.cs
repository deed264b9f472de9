using System.Globalization;

using EsxiImport.Diagnostics;

using Spectre.Console;

namespace EsxiImport.EsxiFuse.Diagnose;

/// <summary>
/// The report for people, as it can be pasted into a forum post: each step with ✔/⚠/✘/–, the
/// cause chain and what to do under a failure, the host, the VMs as trees, the verdict last.
/// Colour only on a terminal; elsewhere plain text of a fixed width, so the same report reads
/// the same in a file, a mail or a golden case. Every label comes from the catalogue.
/// </summary>
internal static class ReportText
{
    /// <summary>Width of a report that is not written to a terminal: wide enough that no line wraps.</summary>
    public const int PlainWidth = 4096;

    /// <summary>Width of a section's header line.</summary>
    private const int HeaderWidth = 72;

    private const int LabelWidth = 16;

    public static void Write(DiagnoseReport report, TextWriter writer, bool terminal, int? terminalWidth = null)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = terminal && terminalWidth is > 0 ? terminalWidth.Value : PlainWidth;
        console.Profile.Capabilities.Unicode = true;

        console.MarkupLine(Bold(Messages.Format("diagnose.title", ("version", report.ToolVersion))));
        if (report.Redacted)
        {
            console.MarkupLine(Markup.Escape(Messages.Text("diagnose.redacted")));
        }

        Section(console, "diagnose.section.startup");
        foreach (var step in report.Steps)
        {
            WriteStep(console, step);
        }

        if (report.Host is { } host)
        {
            Section(console, "diagnose.section.host");
            WriteHost(console, host);
        }

        if (report.Vms.Count > 0)
        {
            Section(console, "diagnose.section.vms");
            foreach (var vm in report.Vms)
            {
                console.Write(VmTree(vm));
            }
        }

        Section(console, "diagnose.section.result");
        if (report.MountError is { } error)
        {
            console.MarkupLine("[red]✘[/] " + Markup.Escape(Messages.Format("diagnose.result.fail", ("exit", report.ExitCode))));
            console.MarkupLine("  " + Markup.Escape(error));
        }
        else
        {
            console.MarkupLine("[green]✔[/] " + Markup.Escape(Messages.Format("diagnose.result.ok", ("exit", report.ExitCode))));
        }
    }

    private static void Section(IAnsiConsole console, string id)
    {
        var title = "── " + Messages.Text(id) + " ";
        console.WriteLine();
        console.MarkupLine("[bold]" + Markup.Escape(title.PadRight(HeaderWidth, '─')) + "[/]");
    }

    private static void WriteStep(IAnsiConsole console, StepResult step)
    {
        var (mark, colour) = step.Status switch
        {
            StepStatus.Ok => ("✔", "green"),
            StepStatus.Warning => ("⚠", "yellow"),
            StepStatus.Failed => ("✘", "red"),
            _ => ("–", "grey"),
        };
        var name = StepName(step.Id).PadRight(LabelWidth);
        console.MarkupLine($"[{colour}]{mark}[/] {Markup.Escape(name)}{Markup.Escape(step.Detail)}");
        var indent = new string(' ', LabelWidth + 2);

        // The first chain line of a failure is the detail itself; the causes follow.
        foreach (var line in step.Status == StepStatus.Failed ? step.Chain.Skip(1) : step.Chain)
        {
            console.MarkupLine(indent + Markup.Escape(Messages.Format("diagnose.cause", ("text", line))));
        }

        if (step.Hint is { } hint)
        {
            console.MarkupLine(indent + "[bold]" + Markup.Escape(Messages.Format("diagnose.hint", ("text", hint))) + "[/]");
        }
    }

    private static string StepName(string id) => Messages.Text(id switch
    {
        "arguments" => "diagnose.step.arguments",
        "manifest" => "diagnose.step.manifest",
        "accounts" => "diagnose.step.accounts",
        "mount-options" => "diagnose.step.mount-options",
        "mount-path" => "diagnose.step.mount-path",
        "tls" => "diagnose.step.tls",
        "login" => "diagnose.step.login",
        "datastores" => "diagnose.step.datastores",
        _ => "diagnose.step.vm-checks",
    });

    private static void WriteHost(IAnsiConsole console, HostFacts host)
    {
        Fact(console, "diagnose.host.address", host.Address);
        Fact(console, "diagnose.host.product", host.Product is null && host.ApiVersion is null
            ? Messages.Text("diagnose.host.unknown")
            : host.Product is { } product
                ? Messages.Format("diagnose.host.product-value", ("product", product), ("api", host.ApiVersion ?? "-"))
                : Messages.Format("diagnose.host.api-only", ("api", host.ApiVersion)));
        if (host.Tls is { } tls)
        {
            Fact(console, "diagnose.host.tls", tls.Protocol);
        }

        Fact(console, "diagnose.host.http", host.HttpVersions.Count == 0 ? "-" : string.Join(", ", host.HttpVersions));
        if (host.ProbeFile is { } file)
        {
            Fact(console, "diagnose.host.probe-file", Messages.Format("diagnose.host.probe-file-value", ("file", file), ("size", Size(host.ProbeFileBytes))));
            Fact(console, "diagnose.host.accept-ranges", host.AcceptRanges ?? Messages.Text("diagnose.host.none"));
        }

        if (host.HeadLatencyMs is { } latency)
        {
            Fact(console, "diagnose.host.head-latency", Messages.Format("diagnose.host.head-latency-value", ("ms", Figure(latency)), ("samples", host.HeadSamples)));
        }

        if (host.OneStream is { } one)
        {
            Fact(console, "diagnose.host.one-stream", Run(one));
        }

        foreach (var level in host.Parallel)
        {
            Fact(console, "diagnose.host.parallel", Messages.Format("diagnose.host.parallel-value", ("streams", level.Streams), ("run", Run(level))));
        }

        if (host.Parallel.Count > 0)
        {
            Fact(console, "diagnose.host.first-503", host.FirstRejectedStreams is { } n
                ? Messages.Format("diagnose.host.first-503-value", ("streams", n))
                : Messages.Format("diagnose.host.first-503-none", ("streams", host.Parallel[^1].Streams)));
        }

        if (host.MeasurementNote is { } note)
        {
            Fact(console, "diagnose.host.measurements", note);
        }
    }

    private static string Run(Throughput run)
    {
        var text = Messages.Format("diagnose.host.run", ("mib", Figure(run.Bytes / 1048576.0)), ("seconds", Figure(run.Seconds)), ("rate", Figure(run.MibPerSecond)));
        if (run.Rejected > 0)
        {
            text += Messages.Format("diagnose.host.run-rejected", ("count", run.Rejected));
        }

        if (run.FirstFailure is { } failure)
        {
            text += Messages.Format("diagnose.host.run-failed", ("count", run.Failed), ("reason", failure));
        }

        return text;
    }

    private static void Fact(IAnsiConsole console, string labelId, string value) =>
        console.MarkupLine("  " + Markup.Escape(Messages.Text(labelId).PadRight(LabelWidth)) + Markup.Escape(value));

    private static Tree VmTree(VmSurvey vm)
    {
        var tree = new Tree(Bold(Messages.Format("diagnose.vm.title", ("vm", vm.Name), ("datacenter", vm.Datacenter), ("power", vm.Power ?? "-"))));
        tree.AddNode(Markup.Escape(Messages.Format("diagnose.vm.vmx", ("file", File(vm.Vmx)))));
        if (vm.GuestOs is not null || vm.Firmware is not null)
        {
            tree.AddNode(Markup.Escape(Messages.Format("diagnose.vm.guest", ("guest", vm.GuestOs ?? "-"), ("firmware", vm.Firmware ?? "bios"))));
        }

        foreach (var disk in vm.Disks)
        {
            var node = tree.AddNode(Markup.Escape(Messages.Format(
                "diagnose.vm.disk",
                ("slot", disk.Slot),
                ("file", File(disk.Descriptor)),
                ("type", disk.CreateType ?? "-"),
                ("capacity", Size(disk.CapacityBytes)),
                ("depth", disk.Parents.Count))));
            foreach (var extent in disk.Extents)
            {
                node.AddNode(Markup.Escape(Messages.Format("diagnose.vm.extent", ("file", File(extent)))));
            }

            foreach (var parent in disk.Parents)
            {
                node.AddNode(Markup.Escape(Messages.Format("diagnose.vm.parent", ("file", File(parent)))));
            }
        }

        foreach (var risk in vm.Risks)
        {
            tree.AddNode("[yellow]" + Markup.Escape(Messages.Format("diagnose.vm.risk", ("text", risk.Text))) + "[/]");
        }

        foreach (var warning in vm.Warnings)
        {
            tree.AddNode("[yellow]" + Markup.Escape(Messages.Format("diagnose.vm.warning", ("text", warning))) + "[/]");
        }

        if (vm.CheckFailure.Count > 0)
        {
            var failure = tree.AddNode("[red]" + Markup.Escape(Messages.Format("diagnose.vm.check-failed", ("text", vm.CheckFailure[0]))) + "[/]");
            foreach (var line in vm.CheckFailure.Skip(1))
            {
                failure.AddNode(Markup.Escape(line));
            }
        }

        return tree;
    }

    private static string File(VmFile file) => file.Problem is { } problem
        ? Messages.Format("diagnose.vm.file-problem", ("path", file.Path), ("problem", problem))
        : Messages.Format("diagnose.vm.file", ("path", file.Path), ("size", Size(file.Bytes)));

    /// <summary>Sizes in bytes with a binary unit beside them (exact, so a report can be compared).</summary>
    public static string Size(long? bytes) => bytes switch
    {
        null => "-",
        >= 1L << 30 when bytes % (1L << 30) == 0 => Invariant($"{bytes >> 30} GiB"),
        >= 1L << 20 when bytes % (1L << 20) == 0 => Invariant($"{bytes >> 20} MiB"),
        _ => Invariant($"{bytes} bytes"),
    };

    /// <summary>A measured figure: one decimal, invariant.</summary>
    public static string Figure(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Bold(string text) => "[bold]" + Markup.Escape(text) + "[/]";

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
