using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Cli;
using EsxiImport.EsxiFuse.Logging;
using EsxiImport.EsxiFuse.Os;
using EsxiImport.Fuse.Native;

using Serilog.Events;

namespace EsxiImport.EsxiFuse.Startup;

/// <summary>
/// The tool from start to exit, in upstream's order: parse args → syslog → manifest → uid/gid →
/// mount options → detach a stale mount → MOUNT → drop privileges → CONNECT → ready → SERVE.
/// Each step adds its own context to an error; <see cref="FatalReport"/> reports the finished
/// chain (<c>Error: &lt;top&gt;</c> on stderr, the whole chain as one syslog record,
/// <c>ERROR: a: b</c> on the ready fd, exit 255). From the first line to the last, SIGTERM,
/// SIGINT and SIGHUP end the run in order (<see cref="Interruption"/>).
/// </summary>
public sealed class MountTool(StartupSteps steps, ToolEnvironment environment)
{
    public async Task<int> RunAsync(string arg0, IReadOnlyList<string> args)
    {
        using var interruption = new Interruption(environment.OwnsProcess);
        var report = new FatalReport(environment);
        if (environment.OwnsProcess)
        {
            report.Install();
        }

        MountArguments arguments;
        try
        {
            switch (ArgumentParser.Parse(args, interruption.Token))
            {
                case CommandLine.Help:
                    await environment.Stdout.WriteAsync(UsageText.For(arg0));
                    await environment.Stdout.FlushAsync();
                    return ExitCodes.Success;
                case CommandLine.Version:
                    await environment.Stdout.WriteLineAsync(ProgramVersion.Text);
                    await environment.Stdout.FlushAsync();
                    return ExitCodes.Success;
                case CommandLine.Mount m:
                    arguments = m.Arguments;
                    break;
                case CommandLine.Diagnose d when steps.Diagnose is { } diagnose:
                    return await diagnose.RunAsync(d.Arguments, d.Options, environment, CancellationToken.None);
                default:
                    throw new System.Diagnostics.UnreachableException();
            }
        }
        catch (Exception e) when (interruption.SignalName is not null && e is OperationCanceledException or ToolError)
        {
            // A signal while waiting for a password: an interruption, not an argument error.
            report.Attach(new ReadySignal(ArgumentParser.FindReadyFd(args), environment.StdFds));
            report.Report(interruption.Error(null, null));
            return ExitCodes.Fatal;
        }
        catch (ToolError e)
        {
            // Before syslog exists, as upstream: stderr sees argument errors (FB-03); beyond
            // upstream, the plugin gets them on the ready fd, or it would report success (FB-09).
            var early = new ReadySignal(ArgumentParser.FindReadyFd(args), environment.StdFds);
            if (!early.StderrIsReadyPipe)
            {
                await environment.Stderr.WriteLineAsync(Messages.Format("esxi-folder-fuse.args.error", ("message", e.Message)));
                await environment.Stderr.WriteAsync(UsageText.For(arg0));
                await environment.Stderr.FlushAsync();
            }

            // The ready fd last: the plugin acts as soon as it sees EOF.
            early.Fail(ErrorReport.ReadyFdLine(e));
            return ExitCodes.Usage;
        }

        var ready = new ReadySignal(arguments.ReadyFd, environment.StdFds);
        report.Attach(ready);

        // On the May 2024 plugin stderr is the ready pipe: any line there before the ERROR line
        // would break the plugin's single-line rule, so stderr stays silent until ready.
        var stderr = ready.StderrIsReadyPipe ? TextWriter.Null : environment.Stderr;
        using var log = new ToolLog(arguments.LogLevel, arguments.Debug, environment.SyslogSocketPath, stderr);
        report.Attach(log);
        if (PasswordFileCheck.IsWorldReadable(arguments.PasswordFile))
        {
            await WarnAsync(log, stderr, arguments.Debug, Messages.Format("esxi-folder-fuse.password-file.world-readable", ("path", DebugQuote.Of(arguments.PasswordFile!))));
        }

        IMountedFileSystem? mount = null;
        IHostConnection? session = null;
        try
        {
            var stop = interruption.Token;
            var manifest = ManifestLoader.Load(arguments.ManifestPath, stop);
            log.Logger.Debug("manifest {Path} has {Count} datacenters", arguments.ManifestPath, manifest.Datacenters.Count);
            foreach (var warning in manifest.Warnings)
            {
                await WarnAsync(log, stderr, arguments.Debug, warning);
            }

            var uid = arguments.ChangeUser is { } u ? AccountResolver.ResolveUser(u) : (uint?)null;
            var gid = arguments.ChangeGroup is { } g ? AccountResolver.ResolveGroup(g)
                : uid is { } user ? AccountResolver.PrimaryGroupOf(user)
                : (uint?)null;
            var options = MountOptionList.Parse(arguments.MountOptions);
            MountPathPreparation.DetachStale(arguments.MountPath, FileSystemType(options));
            MountPathPreparation.CheckDirectory(arguments.MountPath);
            if (uid is not null || gid is not null)
            {
                MountPathPreparation.CheckReachable(arguments.MountPath, uid ?? LibC.Geteuid(), gid ?? LibC.Getegid());
            }

            stop.ThrowIfCancellationRequested();
            log.Logger.Debug("mounting at {Path} with options {Options}, then uid {Uid} gid {Gid}", arguments.MountPath, options.Options, uid, gid);

            // Mounting is short (the kernel's INIT) and not cut off half-way: a signal during it
            // is seen right after, with the mount there to undo.
            mount = await steps.Mount.MountAsync(new MountRequest(arguments.MountPath, options, manifest, log.Logger, uid, gid), CancellationToken.None);
            report.Mounted(mount);
            stop.ThrowIfCancellationRequested();

            // Privileges go before the first connection to the outside, as upstream orders it.
            Privileges.Drop(gid, uid);

            var settings = new ConnectRequest(
                arguments.Host,
                arguments.Credentials,
                arguments.SkipCertificateVerification,
                new CacheSettings(arguments.CachePageSize, arguments.CachePageCount, arguments.CacheSize),
                arguments.MaxRequests,
                arguments.Strict,
                manifest,
                log.Logger);
            log.Logger.Debug("connecting to {Host} as {User}", arguments.Host.Authority, arguments.Credentials.User);
            session = await steps.Connector.ConnectAsync(settings, stop);

            var path = arguments.MountPath;
            if (!interruption.MarkReady(signal => log.Text(LogEventLevel.Information, Messages.Format(
                interruption.LeavesMount ? "esxi-folder-fuse.signal.leaving-mount" : "esxi-folder-fuse.signal.unmounting",
                ("signal", signal),
                ("path", DebugQuote.Of(path))))))
            {
                throw new OperationCanceledException(stop);
            }

            log.StopStderr();
            if (ready.Succeed() is { } closeErrno)
            {
                log.Text(LogEventLevel.Error, Messages.Format(
                    "esxi-folder-fuse.ready.close-failed", ("error", OsError.Of(closeErrno).Message)));
            }

            report.Ready();
            log.Text(LogEventLevel.Information, Messages.Text("esxi-folder-fuse.ready"));
            await steps.Serve.ServeAsync(mount, session, settings, stop);
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The host client goes first, so nothing waits on it while the mount is undone.
            await DisposeAsync(session);
            session = null;
            mount = null;
            report.Report(!report.IsReady && interruption.SignalName is not null
                ? interruption.Error(report.MountPath, arguments.Host.Authority)
                : e);
            return ExitCodes.Fatal;
        }
        finally
        {
            await DisposeAsync(session);
            report.Mounted(null);
            if (interruption.LeavesMount)
            {
                FatalReport.LeaveMounted(mount);
            }
            else
            {
                FatalReport.Unmount(mount, log);
            }
        }
    }

    /// <summary>
    /// The file system type of a mount of this tool with these options, as /proc/self/mountinfo
    /// shows it: only such a mount is ever taken for a stale instance.
    /// </summary>
    private static string FileSystemType(MountOptionList options) =>
        "fuse." + (options.Subtype ?? ProgramName.Default);

    /// <summary>A warning before ready: syslog keeps it; stderr shows it to the person who typed the command (with --debug the debug sink already copies log records there).</summary>
    private static async Task WarnAsync(ToolLog log, TextWriter stderr, bool debug, string warning)
    {
        log.Text(LogEventLevel.Warning, warning);
        if (!debug)
        {
            await stderr.WriteLineAsync(warning);
            await stderr.FlushAsync();
        }
    }

    private static async Task DisposeAsync(IHostConnection? session)
    {
        if (session is not null)
        {
            await session.DisposeAsync();
        }
    }
}
