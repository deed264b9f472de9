using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Cli;
using EsxiImport.EsxiFuse.Logging;

using Serilog.Events;

namespace EsxiImport.EsxiFuse.Startup;

/// <summary>
/// The one way a run ends in error: what is mounted is undone, then the error goes out on every
/// channel — the whole chain as one syslog record, <c>Error: &lt;top&gt;</c> on stderr (unless
/// stderr is the ready pipe), and last <c>ERROR: a: b</c> on the ready fd while it is open, since
/// the plugin acts as soon as it sees EOF. The startup reports its early errors here, and
/// <see cref="Install"/> makes it the last resort for any exception nothing else caught, on any
/// thread: the same report, then exit 255 — never a .NET stack trace and a crash exit code. The
/// startup tells it, as the run goes, where to report and what is mounted.
/// </summary>
public sealed class FatalReport(ToolEnvironment environment)
{
    /// <summary>How long a report waits for the unmount: a failure must not become a hang.</summary>
    private static readonly TimeSpan UnmountLimit = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private int _reported;
    private ToolLog? _log;
    private ReadySignal? _ready;
    private IMountedFileSystem? _mount;
    private bool _isReady;

    /// <summary>Ready was signalled: the ready fd is closed, and stderr is no longer the caller's.</summary>
    public bool IsReady
    {
        get
        {
            lock (_gate)
            {
                return _isReady;
            }
        }
    }

    /// <summary>Where the run's mount is, while there is one.</summary>
    public string? MountPath
    {
        get
        {
            lock (_gate)
            {
                return _mount?.MountPath;
            }
        }
    }

    /// <summary>Reports every exception this process does not catch from now on, then ends it with 255.</summary>
    public void Install() => AppDomain.CurrentDomain.UnhandledException += (_, args) =>
    {
        Report(args.ExceptionObject as Exception ?? new InvalidOperationException(args.ExceptionObject?.ToString()));
        Environment.Exit(ExitCodes.Fatal);
    };

    /// <summary>The ready fd of the run (known once the arguments are).</summary>
    public void Attach(ReadySignal ready)
    {
        lock (_gate)
        {
            _ready = ready;
        }
    }

    /// <summary>The log of the run; until then a report opens syslog itself.</summary>
    public void Attach(ToolLog log)
    {
        lock (_gate)
        {
            _log = log;
        }
    }

    /// <summary>What is mounted now; null once it is undone.</summary>
    public void Mounted(IMountedFileSystem? mount)
    {
        lock (_gate)
        {
            _mount = mount;
        }
    }

    public void Ready()
    {
        lock (_gate)
        {
            _isReady = true;
        }
    }

    /// <summary>
    /// Undoes the mount and reports <paramref name="error"/> (an exception that is no
    /// <see cref="ToolError"/> under <c>unexpected error (type)</c>, running out of memory as
    /// <c>out of memory</c>). Only the first report counts.
    /// </summary>
    public void Report(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (Interlocked.Exchange(ref _reported, 1) != 0)
        {
            return;
        }

        ToolLog? log;
        ReadySignal? ready;
        IMountedFileSystem? mount;
        bool isReady;
        lock (_gate)
        {
            (log, ready, mount, isReady, _mount) = (_log, _ready, _mount, _isReady, null);
        }

        var shown = error switch
        {
            ToolError known => known,

            // The runtimes word it differently (JIT and NativeAOT); the catalogue says it once.
            OutOfMemoryException => ToolError.Of("esxi-folder-fuse.out-of-memory", ErrorKind.General),
            _ => ToolError.Wrap(error, "esxi-folder-fuse.unexpected", ("type", error.GetType().FullName)),
        };
        Unmount(mount, log);
        using (var own = log is null ? new ToolLog(LogEventLevel.Information, false, environment.SyslogSocketPath, TextWriter.Null) : null)
        {
            var syslog = log ?? own!;
            syslog.EarlyError(ErrorReport.SyslogRecord(shown));
            if (shown != error)
            {
                // Where it came from, for a bug report (debug level only: users see the chain).
                syslog.Logger.Debug("{Text:l}", error.ToString());
            }
        }

        if (isReady || ready is null || !ready.StderrIsReadyPipe)
        {
            environment.Stderr.WriteLine(ErrorReport.StderrLine(shown));
            environment.Stderr.Flush();
        }

        if (!isReady)
        {
            ready?.Fail(ErrorReport.ReadyFdLine(shown));
        }
    }

    /// <summary>
    /// Undoes a mount, waiting at most <see cref="UnmountLimit"/>. A failure is a warning in the
    /// log, also one the unmount does not report itself: the mount still listed at its path.
    /// </summary>
    /// <summary>Stops serving and leaves the mount for its owner (SIGTERM after ready); bounded like <see cref="Unmount"/>.</summary>
    public static void LeaveMounted(IMountedFileSystem? mount)
    {
        // The handle cuts off what still runs after its own limit; this wait only bounds the exit.
        _ = mount?.LeaveMountedAsync().Wait(UnmountLimit);
    }

    public static void Unmount(IMountedFileSystem? mount, ToolLog? log)
    {
        if (mount is null)
        {
            return;
        }

        var failed = Messages.Format("esxi-folder-fuse.unmount.failed", ("path", DebugQuote.Of(mount.MountPath)));
        try
        {
            var before = MountPathPreparation.Find(mount.MountPath);
            if (!mount.DisposeAsync().AsTask().Wait(UnmountLimit)
                || (before is not null && MountPathPreparation.Find(mount.MountPath)?.Device == before.Device))
            {
                log?.Text(LogEventLevel.Warning, failed);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The log shows an AggregateException's inner error (ErrorChain).
            log?.Logger.Warning(e, "{Text:l}", failed);
        }
    }
}
