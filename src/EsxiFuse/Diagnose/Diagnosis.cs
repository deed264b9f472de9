using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Cli;
using EsxiImport.EsxiFuse.Datastores;
using EsxiImport.EsxiFuse.Esxi;
using EsxiImport.EsxiFuse.Startup;
using EsxiImport.Fuse.Connection;
using EsxiImport.VmxParser.Manifest;

using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace EsxiImport.EsxiFuse.Diagnose;

/// <summary>
/// One diagnosis: the startup steps of a mount in the mount's order, each with the mount's own
/// code and so the mount's own messages, but nothing mounted, no privilege dropped, no stale
/// mount detached; then the host and the VMs. A step that fails does not stop the steps that do
/// not need it, so one report shows as much as can be known. The first failure a mount would end
/// its start with decides the exit code and the <c>Error:</c> line.
/// </summary>
internal sealed class Diagnosis(FolderClientTuning tuning, MountArguments arguments, DiagnoseOptions options, Func<HttpMessageHandler, HttpMessageHandler>? wrap)
{
    private readonly List<StepResult> _steps = [];
    private Exception? _fatal;

    /// <summary>The manifest the run read, null until then or when it could not be read.</summary>
    public Manifest? Manifest { get; private set; }

    public async Task<DiagnoseReport> RunAsync(CancellationToken cancellationToken)
    {
        Step(ArgumentsStep());
        var manifest = Run("manifest", () =>
        {
            var m = ManifestLoader.Load(arguments.ManifestPath);
            var vms = m.Datacenters.Values.Sum(dc => dc.Vms.Count);
            var datastores = LoginCheck.Datastores(m).Count;
            return (m, Messages.Format("diagnose.manifest.ok", ("path", arguments.ManifestPath), ("datacenters", m.Datacenters.Count), ("vms", vms), ("datastores", datastores)));
        });
        Manifest = manifest;
        Run("accounts", AccountsStep);
        Run("mount-options", () =>
        {
            var list = MountOptionList.Parse(arguments.MountOptions);
            return (list, list.Options.Count == 0 ? Messages.Text("diagnose.mount-options.none") : string.Join(",", list.Options));
        });
        MountPathStep();

        var host = arguments.Host;
        var request = new ConnectRequest(
            host,
            arguments.Credentials,
            arguments.SkipCertificateVerification,
            new CacheSettings(arguments.CachePageSize, arguments.CachePageCount, arguments.CacheSize),
            arguments.MaxRequests,
            arguments.Strict,
            manifest ?? new Manifest(new Dictionary<string, ManifestDatacenter>()),
            Logger.None);
        var clientOptions = EsxiStartupSteps.ClientOptions(tuning, request);
        var facts = new HostFacts { Address = host.Authority };
        facts = await TlsStepAsync(facts, clientOptions, cancellationToken).ConfigureAwait(false);

        using var probe = new HostProbe(clientOptions, wrap);
        var (product, version, build, api, source) = await probe.ProductAsync(cancellationToken).ConfigureAwait(false);
        facts = facts with { Product = product, Version = version, Build = build, ApiVersion = api, ProductSource = source };

        IReadOnlyList<VmSurvey> vms = [];
        if (manifest is null)
        {
            Skip("login", "diagnose.skipped.no-manifest");
            Skip("datastores", "diagnose.skipped.no-manifest");
            Skip("vm-checks", "diagnose.skipped.no-manifest");
        }
        else
        {
            using var client = new FolderClient(clientOptions, Logger.None, transport: null, wrap);
            if (await LoginStepAsync(client, request, cancellationToken).ConfigureAwait(false))
            {
                await DatastoresStepAsync(client, manifest, cancellationToken).ConfigureAwait(false);
                var surveyor = new VmSurveyor(manifest, client);
                vms = await VmStepAsync(client, surveyor, request, cancellationToken).ConfigureAwait(false);
                facts = await new HostMeasurements(probe, options.Quick).RunAsync(facts, surveyor.DataFiles, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                Skip("datastores", "diagnose.skipped.no-login");
                Skip("vm-checks", "diagnose.skipped.no-login");
            }
        }

        return new DiagnoseReport
        {
            ToolVersion = ProgramVersion.Text,
            Steps = _steps,
            Host = facts,
            Vms = vms,
            MountError = _fatal is null ? null : ErrorReport.StderrLine(_fatal),
            ExitCode = _fatal is null ? ExitCodes.Success : ExitCodes.Fatal,
            Quick = options.Quick,
        };
    }

    private StepResult ArgumentsStep()
    {
        var mountPath = arguments.MountPath.Length == 0 ? Messages.Text("diagnose.arguments.no-mount-path") : DebugQuote.Of(arguments.MountPath);
        var detail = Messages.Format("diagnose.arguments.ok", ("host", arguments.Host.Authority), ("user", arguments.Credentials.User), ("mount", mountPath));
        return PasswordFileCheck.IsWorldReadable(arguments.PasswordFile)
            ? new StepResult("arguments", StepStatus.Warning, detail, [Messages.Format("esxi-folder-fuse.password-file.world-readable", ("path", DebugQuote.Of(arguments.PasswordFile!)))], Messages.Text("diagnose.hint.password-file"))
            : new StepResult("arguments", StepStatus.Ok, detail, [], null);
    }

    private (bool, string) AccountsStep()
    {
        if (arguments.ChangeUser is null && arguments.ChangeGroup is null)
        {
            return (true, Messages.Text("diagnose.accounts.none"));
        }

        var uid = arguments.ChangeUser is { } u ? AccountResolver.ResolveUser(u) : (uint?)null;
        var gid = arguments.ChangeGroup is { } g ? AccountResolver.ResolveGroup(g) : (uint?)null;
        return (true, Messages.Format("diagnose.accounts.ok", ("user", Describe(arguments.ChangeUser, uid)), ("group", Describe(arguments.ChangeGroup, gid))));

        static string Describe(string? name, uint? id) => name is null ? "-" : $"{name} ({id})";
    }

    private void MountPathStep()
    {
        var path = arguments.MountPath;
        if (path.Length == 0)
        {
            Skip("mount-path", "diagnose.skipped.no-mount-path");
            return;
        }

        // A mount already there would be detached by the mount (a stale one, FB-42); a diagnosis
        // changes nothing, so it only says so and does not look below it.
        if (MountTable.Find(path)?.FileSystemType is { } type)
        {
            Step(new StepResult("mount-path", StepStatus.Warning, Messages.Format("diagnose.mount-path.mounted", ("path", DebugQuote.Of(path)), ("type", type)), [], Messages.Text("diagnose.hint.mounted")));
            return;
        }

        Run("mount-path", () =>
        {
            MountPathPreparation.CheckDirectory(path);
            return (true, Messages.Format("diagnose.mount-path.ok", ("path", DebugQuote.Of(path))));
        });
    }

    private async Task<HostFacts> TlsStepAsync(HostFacts facts, FolderClientOptions clientOptions, CancellationToken cancellationToken)
    {
        if (!clientOptions.UseHttps)
        {
            Skip("tls", "diagnose.skipped.plain-http");
            return facts with { HttpVersions = ["HTTP/1.1"] };
        }

        try
        {
            var (tls, versions) = await TlsProbe.RunAsync(arguments.Host, clientOptions.ConnectTimeout, cancellationToken).ConfigureAwait(false);
            var detail = Messages.Format("diagnose.tls.ok", ("protocol", tls.Protocol), ("subject", tls.Subject), ("issuer", tls.Issuer));
            var step = tls.Trusted
                ? new StepResult("tls", StepStatus.Ok, detail + Messages.Text("diagnose.tls.trusted"), [], null)
                : arguments.SkipCertificateVerification
                    ? new StepResult("tls", StepStatus.Warning, detail + Messages.Format("diagnose.tls.skipped", ("problem", tls.TrustProblem)), [], Messages.Text("diagnose.hint.certificate-skipped"))
                    : new StepResult("tls", StepStatus.Failed, detail + Messages.Format("diagnose.tls.untrusted", ("problem", tls.TrustProblem)), [], Messages.Text("diagnose.hint.certificate"));
            Step(step);
            return facts with { Tls = tls, HttpVersions = versions };
        }
        catch (ToolError e)
        {
            // Not the mount's own failure: the login below fails with the mount's words.
            Step(new StepResult("tls", StepStatus.Failed, e.Message, ErrorChain.Of(e), FailureHints.For("tls", e)));
            return facts;
        }
    }

    private async Task<bool> LoginStepAsync(FolderClient client, ConnectRequest request, CancellationToken cancellationToken)
    {
        var warnings = new WarningCollector();
        using var logger = new LoggerConfiguration().MinimumLevel.Warning().WriteTo.Sink(warnings).CreateLogger();
        try
        {
            await EsxiStartupSteps.LoginAsync(client, request with { Log = logger }, cancellationToken).ConfigureAwait(false);
            var detail = LoginCheck.Datastores(request.Manifest).Count == 0
                ? Messages.Text("esxi-folder-fuse.connect.no-datastore")
                : Messages.Format("diagnose.login.ok", ("user", request.Credentials.User));
            Step(new StepResult("login", warnings.Lines.Count > 0 ? StepStatus.Warning : StepStatus.Ok, detail, warnings.Lines, null));
            return true;
        }
        catch (ToolError e)
        {
            Fail("login", e);
            return false;
        }
    }

    private async Task DatastoresStepAsync(FolderClient client, Manifest manifest, CancellationToken cancellationToken)
    {
        var all = LoginCheck.Datastores(manifest);
        var missing = new List<string>();
        foreach (var (datacenter, datastore) in all)
        {
            try
            {
                await client.AuthenticateAsync(datacenter, datastore, cancellationToken).ConfigureAwait(false);
            }
            catch (ToolError e)
            {
                missing.Add(string.Join(": ", ErrorChain.Of(e)));
            }
        }

        var detail = Messages.Format("diagnose.datastores.ok", ("answered", all.Count - missing.Count), ("count", all.Count));
        Step(missing.Count == 0
            ? new StepResult("datastores", StepStatus.Ok, detail, [], null)
            : new StepResult("datastores", StepStatus.Warning, detail, missing, Messages.Text("diagnose.hint.datastores")));
    }

    private async Task<IReadOnlyList<VmSurvey>> VmStepAsync(FolderClient client, VmSurveyor surveyor, ConnectRequest request, CancellationToken cancellationToken)
    {
        var manifest = request.Manifest;
        var checker = new VmChecker(manifest, new RemoteTree(manifest), client);
        var surveys = new List<VmSurvey>();
        ToolError? first = null;
        foreach (var (datacenter, dc) in manifest.Datacenters)
        {
            foreach (var (name, vm) in dc.Vms)
            {
                var survey = await surveyor.SurveyAsync(datacenter, name, vm, cancellationToken).ConfigureAwait(false);
                try
                {
                    await checker.CheckAsync(datacenter, name, vm, cancellationToken).ConfigureAwait(false);
                }
                catch (ToolError e)
                {
                    first ??= e;
                    survey = survey with { CheckFailure = ErrorChain.Of(e) };
                }

                surveys.Add(survey);
            }
        }

        var broken = surveys.Count(s => s.CheckFailure.Count > 0);
        var detail = Messages.Format("esxi-folder-fuse.vm.checked", ("count", surveys.Count), ("broken", broken));
        if (first is null)
        {
            Step(new StepResult("vm-checks", StepStatus.Ok, detail, [], null));
        }
        else if (request.Strict)
        {
            Fail("vm-checks", first);
        }
        else
        {
            Step(new StepResult("vm-checks", StepStatus.Warning, detail, ErrorChain.Of(first), FailureHints.For("vm-checks", first)));
        }

        return surveys;
    }

    /// <summary>Runs a step of the mount's path: its ToolError is the mount's own failure.</summary>
    private T? Run<T>(string id, Func<(T Value, string Detail)> step)
        where T : class
    {
        try
        {
            var (value, detail) = step();
            Step(new StepResult(id, StepStatus.Ok, detail, [], null));
            return value;
        }
        catch (ToolError e)
        {
            Fail(id, e);
            return null;
        }
    }

    private void Run(string id, Func<(bool, string Detail)> step) => Run<object>(id, () =>
    {
        var (_, detail) = step();
        return (new object(), detail);
    });

    private void Fail(string id, ToolError e)
    {
        var fatal = _fatal is null;
        _fatal ??= e;
        Step(new StepResult(id, StepStatus.Failed, e.Message, ErrorChain.Of(e), FailureHints.For(id, e), fatal));
    }

    private void Skip(string id, string reasonId) => Step(new StepResult(id, StepStatus.Skipped, Messages.Text(reasonId), [], null));

    private void Step(StepResult result) => _steps.Add(result);

    /// <summary>The login check's warnings (a datastore that is not there), as lines for the report.</summary>
    private sealed class WarningCollector : ILogEventSink
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public void Emit(LogEvent logEvent)
        {
            lock (_lines)
            {
                _lines.Add(logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }
}
