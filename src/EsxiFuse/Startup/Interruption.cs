using System.Runtime.InteropServices;

using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Cli;

namespace EsxiImport.EsxiFuse.Startup;

/// <summary>
/// SIGTERM, SIGINT and SIGHUP from the start of the run to its end: none of them kills the tool.
/// Before ready a signal cancels <see cref="Token"/>, the step in progress stops, and the startup
/// reports <see cref="Error"/> like any early error (after unmounting what it mounted); after
/// ready it stops serving. SIGINT and SIGHUP after ready (a person at a terminal) undo the mount
/// on the way out; SIGTERM after ready leaves it, dead, for its owner to unmount, as upstream's
/// tool (killed by it) does: the plugin stops the tool's scope and then runs <c>umount</c> itself,
/// which fails when the mount is already gone (<see cref="LeavesMount"/>). Without this the default
/// action would kill the tool: a mount left behind, and a ready fd closed without an
/// <c>ERROR:</c> line, which the plugin takes for success.
/// </summary>
public sealed class Interruption : IDisposable
{
    private static readonly PosixSignal[] Signals = [PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGHUP];

    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _cts = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private Action<string>? _afterReady;
    private bool _ready;

    /// <param name="register">Handle the process's signals (false in tests that run the tool in-process).</param>
    public Interruption(bool register)
    {
        if (register)
        {
            foreach (var signal in Signals)
            {
                _registrations.Add(PosixSignalRegistration.Create(signal, context =>
                {
                    context.Cancel = true;
                    Raise(context.Signal);
                }));
            }
        }
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _cts.Token;

    /// <summary>The first signal's name (<c>SIGTERM</c>), or null.</summary>
    public string? SignalName { get; private set; }

    /// <summary>SIGTERM came after ready: the mount is left for its owner to unmount.</summary>
    public bool LeavesMount
    {
        get
        {
            lock (_gate)
            {
                return _ready && SignalName == "SIGTERM";
            }
        }
    }

    /// <summary>
    /// The mount is ready: a later signal calls <paramref name="onSignal"/> with its name (to log
    /// whether it unmounts, <see cref="LeavesMount"/>) and stops serving. False when a signal came first: the startup then
    /// reports the interruption instead of signalling ready.
    /// </summary>
    public bool MarkReady(Action<string> onSignal)
    {
        lock (_gate)
        {
            if (SignalName is not null)
            {
                return false;
            }

            _ready = true;
            _afterReady = onSignal;
            return true;
        }
    }

    /// <summary>
    /// The early error of a signal before ready: <c>interrupted by SIGTERM before the mount was
    /// ready</c>, with what was going on as its cause.
    /// </summary>
    public ToolError Error(string? mountPath, string? host)
    {
        var phase = mountPath is null
            ? ToolError.Of("esxi-folder-fuse.interrupted.before-mount", ErrorKind.General)
            : ToolError.Of("esxi-folder-fuse.interrupted.after-mount", ErrorKind.General, ("host", host), ("path", DebugQuote.Of(mountPath)));
        return ToolError.Wrap(phase, "esxi-folder-fuse.interrupted", ("signal", SignalName));
    }

    /// <summary>What a signal does; the registrations call it, and tests that run in-process may too.</summary>
    public void Raise(PosixSignal signal)
    {
        Action<string>? afterReady;
        lock (_gate)
        {
            if (SignalName is not null)
            {
                // Already ending: a second signal changes nothing.
                return;
            }

            SignalName = Name(signal);
            afterReady = _ready ? _afterReady : null;
        }

        afterReady?.Invoke(SignalName);

        // Cancellation callbacks run on the thread pool: one that throws must not end the
        // signal thread (an unhandled exception there would end the process).
        _ = _cts.CancelAsync();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _cts.Dispose();
    }

    private static string Name(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGTERM => "SIGTERM",
        PosixSignal.SIGINT => "SIGINT",
        PosixSignal.SIGHUP => "SIGHUP",
        _ => signal.ToString().ToUpperInvariant(),
    };
}
