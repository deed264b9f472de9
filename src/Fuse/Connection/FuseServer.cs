using System.Collections.Concurrent;

using EsxiImport.Fuse.Protocol;
using EsxiImport.Fuse.Protocol.Requests;

namespace EsxiImport.Fuse.Connection;

/// <summary>Why the reader threads stopped.</summary>
public enum ServerEnd
{
    /// <summary>The kernel said ENODEV: the file system was unmounted (or the connection aborted).</summary>
    Unmounted,

    /// <summary><see cref="FuseServer.RequestStop"/> was called.</summary>
    Stopped,

    /// <summary>A device read failed with an unexpected errno (logged).</summary>
    Failed,
}

/// <summary>
/// The read loop of one FUSE connection. Reader threads read one request at a time; INIT,
/// FORGET, INTERRUPT, unsupported and modifying requests are answered right there, everything
/// else is copied out, registered under its unique and handed to an async handler on the
/// thread pool.
/// <para>
/// Exactly one reply per request, by construction: the entry in the in-flight table is the
/// right to answer. Whoever removes it (the handler finishing, or an INTERRUPT) writes the one
/// reply; the other side finds nothing and writes nothing. A handler that throws is answered EIO
/// and logged; one that returns a reply of the wrong kind is answered EIO too.
/// </para>
/// </summary>
public sealed partial class FuseServer
{
    private readonly IFuseDevice _device;
    private readonly IFuseRequestHandler _handler;
    private readonly FuseServerOptions _options;
    private readonly ConcurrentDictionary<ulong, CancellationTokenSource> _inFlight = new();

    /// <summary>The thread id of the caller of each request in flight, to tell a dying caller's INTERRUPT from a handled signal's.</summary>
    private readonly ConcurrentDictionary<ulong, uint> _callers = new();
    private readonly ConcurrentDictionary<Task, byte> _handlerTasks = new();
    private readonly TaskCompletionSource<FuseConnectionInfo> _initialized = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ServerEnd> _readersEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stop;
    private int _readersRunning;
    private int _endReason = -1;

    public FuseServer(IFuseDevice device, IFuseRequestHandler handler, FuseServerOptions? options = null)
    {
        _device = device;
        _handler = handler;
        _options = options ?? new FuseServerOptions();
    }

    /// <summary>Completes once the INIT reply has been written; fails if the readers end first.</summary>
    public Task<FuseConnectionInfo> Initialized => _initialized.Task;

    /// <summary>Completes when every reader thread has stopped.</summary>
    public Task<ServerEnd> ReadersEnded => _readersEnded.Task;

    /// <summary>Requests read and not yet answered.</summary>
    public int InFlightCount => _inFlight.Count;

    /// <summary>Checks the opcode table and starts the reader threads.</summary>
    public void Start()
    {
        OpcodeTable.Validate();
        var count = Math.Max(1, _options.ReaderThreads);
        _readersRunning = count;
        for (var i = 0; i < count; i++)
        {
            var thread = new Thread(ReaderLoop) { IsBackground = true, Name = "fuse-reader-" + i };
            thread.Start();
        }
    }

    /// <summary>Asks the readers to stop at their next poll timeout (used when ENODEV does not come).</summary>
    public void RequestStop() => _stop = true;

    /// <summary>
    /// Waits for running handlers. When they do not finish within <paramref name="timeout"/>,
    /// cancels them and answers them EINTR; returns whether they finished on their own.
    /// </summary>
    public async Task<bool> DrainAsync(TimeSpan timeout)
    {
        var pending = _handlerTasks.Keys.ToArray();
        try
        {
            await Task.WhenAll(pending).WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            foreach (var unique in _inFlight.Keys.ToArray())
            {
                Interrupt(unique);
            }

            return false;
        }
    }

    private void Log(FuseLogLevel level, string message, Exception? exception = null) =>
        _options.Logger?.Invoke(level, message, exception);

    private void EndReaders(ServerEnd reason)
    {
        Interlocked.CompareExchange(ref _endReason, (int)reason, -1);
        if (Interlocked.Decrement(ref _readersRunning) == 0)
        {
            _initialized.TrySetException(new InvalidOperationException("the FUSE server ended before INIT"));
            _readersEnded.TrySetResult((ServerEnd)Volatile.Read(ref _endReason));
        }
    }

    /// <summary>Writes one reply, then releases what the reply borrowed.</summary>
    private void Send(ulong unique, FuseReply reply)
    {
        try
        {
            var frame = ReplyEncoder.Encode(unique, reply);
            if (_options.TraceWire)
            {
                Log(FuseLogLevel.Trace, WireTrace.Reply(unique, reply));
            }

            var errno = _device.Write(frame);

            // ENOENT: the request was interrupted or its caller died; ENODEV/EBADF: unmounted.
            if (errno is not (0 or Errno.ENOENT or Errno.ENODEV or Errno.EBADF))
            {
                Log(FuseLogLevel.Warning, $"reply to {unique} failed: {Errno.Name(errno)}");
            }
        }
        finally
        {
            (reply as DataReply)?.Owner?.Dispose();
        }
    }

    /// <summary>Takes the right to answer <paramref name="unique"/> away from its handler and answers EINTR.</summary>
    private bool Interrupt(ulong unique)
    {
        if (!_inFlight.TryRemove(unique, out var cts))
        {
            return false;
        }

        try
        {
            cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The handler finished between the removal and here; its reply was suppressed.
        }
        catch (AggregateException e)
        {
            Log(FuseLogLevel.Warning, $"a cancellation callback of {unique} threw", e);
        }

        Send(unique, FuseReply.Error(Errno.EINTR));
        return true;
    }
}
