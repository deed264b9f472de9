using System.Runtime.InteropServices;

using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Cli;
using EsxiImport.EsxiFuse.Logging;
using EsxiImport.EsxiFuse.Os;

using Serilog.Events;

namespace EsxiImport.EsxiFuse.Startup;

/// <summary>
/// The tool from start to exit, in upstream's order: parse args → syslog → manifest → uid/gid →
/// mount options → detach a stale mount → MOUNT → drop privileges → CONNECT → ready → SERVE.
/// Each step adds its own context to an error; this class only reports the finished chain:
/// <c>Error: &lt;top&gt;</c> on stderr, the whole chain as one syslog record, <c>ERROR: a: b</c> on the
/// ready fd, exit 255.
/// </summary>
public sealed class MountTool(StartupSteps steps, ToolEnvironment environment)
{
    public async Task<int> RunAsync(string arg0, IReadOnlyList<string> args)
    {
        MountArguments arguments;
        try
        {
            switch (ArgumentParser.Parse(args))
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

        // On the May 2024 plugin stderr is the ready pipe: any line there before the ERROR line
        // would break the plugin's single-line rule, so stderr stays silent until ready.
        var stderr = ready.StderrIsReadyPipe ? TextWriter.Null : environment.Stderr;
        using var log = new ToolLog(arguments.LogLevel, arguments.Debug, environment.SyslogSocketPath, stderr);
        if (PasswordFileCheck.IsWorldReadable(arguments.PasswordFile))
        {
            // Syslog keeps it; stderr shows it to the person who typed the command (with --debug
            // the debug sink already copies log records there).
            var warning = Messages.Format("esxi-folder-fuse.password-file.world-readable", ("path", DebugQuote.Of(arguments.PasswordFile!)));
            log.Text(LogEventLevel.Warning, warning);
            if (!arguments.Debug)
            {
                await stderr.WriteLineAsync(warning);
                await stderr.FlushAsync();
            }
        }

        var isReady = false;
        IMountedFileSystem? mount = null;
        IHostConnection? session = null;
        try
        {
            var manifest = ManifestLoader.Load(arguments.ManifestPath);
            log.Logger.Debug("manifest {Path} has {Count} datacenters", arguments.ManifestPath, manifest.Datacenters.Count);
            var uid = arguments.ChangeUser is { } u ? AccountResolver.ResolveUser(u) : (uint?)null;
            var gid = arguments.ChangeGroup is { } g ? AccountResolver.ResolveGroup(g) : (uint?)null;
            var options = MountOptionList.Parse(arguments.MountOptions);
            MountPoint.DetachStale(arguments.MountPath);
            MountPoint.CheckDirectory(arguments.MountPath);
            log.Logger.Debug("mounting at {Path} with options {Options}, then uid {Uid} gid {Gid}", arguments.MountPath, options.Options, uid, gid);

            mount = await steps.Mount.MountAsync(new MountRequest(arguments.MountPath, options, manifest, log.Logger, uid, gid), CancellationToken.None);

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
            session = await steps.Connector.ConnectAsync(settings, CancellationToken.None);

            using var stop = new CancellationTokenSource();
            using var signals = environment.HandleSignals ? SignalHandlers.Register(stop, arguments.MountPath, log) : null;

            log.StopStderr();
            if (ready.Succeed() is { } closeErrno)
            {
                log.Text(LogEventLevel.Error, Messages.Format(
                    "esxi-folder-fuse.ready.close-failed", ("error", OsError.Of(closeErrno).Message)));
            }

            isReady = true;
            log.Text(LogEventLevel.Information, Messages.Text("esxi-folder-fuse.ready"));
            await steps.Serve.ServeAsync(mount, session, settings, stop.Token);
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Unmount before reporting, so a plugin that retries at once finds the path clean.
            await ReleaseAsync(session, mount, log);
            (session, mount) = (null, null);
            log.EarlyError(ErrorReport.SyslogRecord(e));
            if (isReady || !ready.StderrIsReadyPipe)
            {
                await environment.Stderr.WriteLineAsync(ErrorReport.StderrLine(e));
                await environment.Stderr.FlushAsync();
            }

            // The ready fd last: the plugin acts as soon as it sees EOF, and by then the
            // stderr line and the syslog record are out.
            if (!isReady)
            {
                ready.Fail(ErrorReport.ReadyFdLine(e));
            }

            return ExitCodes.Fatal;
        }
        finally
        {
            await ReleaseAsync(session, mount, log);
        }
    }

    private static async Task ReleaseAsync(IHostConnection? session, IMountedFileSystem? mount, ToolLog log)
    {
        if (session is not null)
        {
            await session.DisposeAsync();
        }

        if (mount is null)
        {
            return;
        }

        try
        {
            await mount.DisposeAsync();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            log.Logger.Warning(e, "{Text:l}", Messages.Format("esxi-folder-fuse.unmount.failed", ("path", DebugQuote.Of(mount.MountPath))));
        }
    }

    /// <summary>SIGTERM/SIGINT after ready: stop serving (the finally block unmounts) instead of dying.</summary>
    private static class SignalHandlers
    {
        public static IDisposable Register(CancellationTokenSource stop, string path, ToolLog log)
        {
            void Handle(PosixSignalContext context)
            {
                context.Cancel = true;
                log.Text(LogEventLevel.Information, Messages.Format(
                    "esxi-folder-fuse.signal.unmounting", ("signal", context.Signal.ToString().ToUpperInvariant()), ("path", DebugQuote.Of(path))));
                stop.Cancel();
            }

            return new Registrations(
                PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle),
                PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle));
        }

        private sealed class Registrations(params PosixSignalRegistration[] items) : IDisposable
        {
            public void Dispose()
            {
                foreach (var item in items)
                {
                    item.Dispose();
                }
            }
        }
    }
}
