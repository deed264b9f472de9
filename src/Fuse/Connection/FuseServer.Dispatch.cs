using System.Runtime.InteropServices;

using EsxiImport.Fuse.Protocol;
using EsxiImport.Fuse.Protocol.Requests;

namespace EsxiImport.Fuse.Connection;

public sealed partial class FuseServer
{
    // Large enough for any request a read-only file system meets (names, xattr queries) and for the
    // kernel's minimum of max(8 KiB, 80 + max_write).
    private const int MinReadBuffer = 64 * 1024;

    private unsafe void ReaderLoop()
    {
        var size = Math.Max(MinReadBuffer, FuseDevice.MinimumBufferSize(_options.MaxWrite));
        var buffer = (byte*)NativeMemory.AlignedAlloc((nuint)size, 4096);
        var reason = ServerEnd.Stopped;
        try
        {
            while (!_stop)
            {
                var read = _device.Read(new Span<byte>(buffer, size), _options.PollIntervalMs);
                if (read.Errno is Errno.EAGAIN or Errno.EINTR or Errno.ENOENT)
                {
                    // Nothing yet, a signal, or a request aborted while being handed over.
                    continue;
                }

                if (read.Errno is Errno.ENODEV or Errno.ECONNABORTED or Errno.EBADF)
                {
                    reason = ServerEnd.Unmounted;
                    break;
                }

                if (read.Errno != 0)
                {
                    Log(FuseLogLevel.Error, $"reading /dev/fuse failed: {Errno.Name(read.Errno)}");
                    reason = ServerEnd.Failed;
                    break;
                }

                Dispatch(new ReadOnlySpan<byte>(buffer, read.Length));
            }
        }
        catch (Exception e)
        {
            // Dispatch catches handler failures itself; reaching here is a bug in the server.
            Log(FuseLogLevel.Error, "the FUSE reader loop failed", e);
            reason = ServerEnd.Failed;
        }
        finally
        {
            NativeMemory.AlignedFree(buffer);
            EndReaders(reason);
        }
    }

    /// <summary>Handles one frame. Runs on a reader thread; the frame's buffer is reused as soon as this returns.</summary>
    internal void Dispatch(ReadOnlySpan<byte> frame)
    {
        var parsed = RequestParser.Parse(frame);
        if (parsed.Error is { } error)
        {
            Log(FuseLogLevel.Warning, WireTrace.ParseFailure(error));
            if (error.Header is { } h && (OpcodeTable.Find(h.Opcode)?.HasReply ?? true))
            {
                Send(h.Unique, FuseReply.Error(Errno.EIO));
            }

            return;
        }

        var request = parsed.Request!;
        if (_options.TraceWire)
        {
            Log(FuseLogLevel.Trace, WireTrace.Request(request));
        }

        switch (request)
        {
            case InitRequest init:
                AnswerInit(init);
                return;
            case ForgetRequest forget:
                Forget(forget);
                return;
            case InterruptRequest interrupt:
                if (_callers.TryGetValue(interrupt.TargetUnique, out var caller) && !CallerSignals.IsDying(caller))
                {
                    // A handled signal: the caller goes on, so the request is answered normally
                    // (bounded by the file system's own timeouts) and no reply goes to the INTERRUPT.
                    return;
                }

                if (!Interrupt(interrupt.TargetUnique))
                {
                    // Unknown target: already answered (the kernel then drops this), or read by
                    // another reader and not registered yet (the kernel queues the interrupt again).
                    Send(interrupt.Unique, FuseReply.Error(Errno.EAGAIN));
                }

                return;
            case UnsupportedRequest unsupported:
                if (OpcodeTable.Find(unsupported.Header.Opcode)?.HasReply ?? true)
                {
                    Send(unsupported.Unique, FuseReply.Error(Errno.ENOSYS));
                }

                return;
            case ModifyingRequest modifying:
                Send(modifying.Unique, FuseReply.Error(Errno.EROFS));
                return;
        }

        var cts = new CancellationTokenSource();
        if (!_inFlight.TryAdd(request.Unique, cts))
        {
            cts.Dispose();
            Log(FuseLogLevel.Warning, $"request {request.Unique} arrived while one with the same unique is still open; ignored");
            return;
        }

        _callers[request.Unique] = request.Header.Pid;
        var task = Task.Run(() => RunHandlerAsync(request, cts));
        _handlerTasks.TryAdd(task, 0);
        task.ContinueWith(t => _handlerTasks.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void AnswerInit(InitRequest init)
    {
        var (reply, info) = InitNegotiation.Answer(init, _options);
        Send(init.Unique, reply);
        if (info is not null)
        {
            Log(FuseLogLevel.Debug, "FUSE connection: " + info);
            _initialized.TrySetResult(info);
        }
    }

    private void Forget(ForgetRequest forget)
    {
        try
        {
            _handler.Forget(forget.Items);
        }
        catch (Exception e)
        {
            Log(FuseLogLevel.Error, "FORGET handling failed", e);
        }
    }

    private async Task RunHandlerAsync(FuseRequest request, CancellationTokenSource cts)
    {
        FuseReply reply;
        try
        {
            reply = await _handler.HandleAsync(request, cts.Token).ConfigureAwait(false);
            if (!Fits(request, reply))
            {
                Log(FuseLogLevel.Error, $"{OpcodeTable.NameOf(request.Header.Opcode)} {request.Unique}: the handler returned {reply.GetType().Name}, which does not answer it");
                (reply as DataReply)?.Owner?.Dispose();
                reply = FuseReply.Error(Errno.EIO);
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            reply = FuseReply.Error(Errno.EINTR);
        }
        catch (Exception e)
        {
            Log(FuseLogLevel.Error, $"{OpcodeTable.NameOf(request.Header.Opcode)} {request.Unique} on node {request.NodeId} failed", e);
            reply = FuseReply.Error(Errno.EIO);
        }

        try
        {
            _callers.TryRemove(request.Unique, out _);
            if (_inFlight.TryRemove(request.Unique, out _))
            {
                Send(request.Unique, reply);
            }
            else
            {
                // INTERRUPT (or a drain) answered it already.
                (reply as DataReply)?.Owner?.Dispose();
            }
        }
        finally
        {
            cts.Dispose();
        }
    }

    /// <summary>Whether <paramref name="reply"/> is a possible answer to <paramref name="request"/> (errors always are).</summary>
    internal static bool Fits(FuseRequest request, FuseReply reply) =>
        reply.Answers(request, OpcodeTable.Find(request.Header.Opcode)?.Reply ?? ReplyKind.None);
}
