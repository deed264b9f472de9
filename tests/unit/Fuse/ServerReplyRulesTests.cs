using EsxiImport.Fuse.Connection;
using EsxiImport.Fuse.Protocol;
using EsxiImport.Fuse.Protocol.Requests;
using EsxiImport.Fuse.Protocol.Wire;

using static EsxiImport.UnitTests.Fuse.SessionTestKit;

namespace EsxiImport.UnitTests.Fuse;

/// <summary>The "exactly one reply per request" rules and interrupt handling, with a fake device.</summary>
public sealed class SessionReplyRulesTests
{
    private static (FakeFuseDevice Device, FuseServer Session, LogSink Log) Create(ScriptedHandler handler)
    {
        var device = new FakeFuseDevice();
        var log = new LogSink();
        return (device, new FuseServer(device, handler, new FuseServerOptions { Logger = log.Log }), log);
    }

    [Fact]
    public async Task A_handler_that_throws_gets_one_eio_reply_and_a_log_line()
    {
        var (device, session, log) = Create(new ScriptedHandler((_, _) => throw new InvalidOperationException("boom")));
        session.Dispatch(Read(10));
        await session.DrainAsync(TimeSpan.FromSeconds(5));

        device.Written.Should().ContainSingle().Which.Should().Match<ReplyFrame>(f => Header(f).Error == -Errno.EIO && f.Unique == 10);
        log.Lines.Should().ContainSingle(l => l.Level == FuseLogLevel.Error).Which.Error.Should().BeOfType<InvalidOperationException>();
    }

    [Fact]
    public async Task A_reply_of_the_wrong_kind_becomes_eio()
    {
        var (device, session, log) = Create(new ScriptedHandler((_, _) => ValueTask.FromResult(FuseReply.Empty)));
        session.Dispatch(Read(10));
        await session.DrainAsync(TimeSpan.FromSeconds(5));

        Header(device.Written.Single()).Error.Should().Be(-Errno.EIO);
        log.Lines.Should().Contain(l => l.Message.Contains("EmptyReply", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Data_longer_than_asked_becomes_eio_and_its_buffer_is_released()
    {
        var owner = new Owner();
        var (device, session, _) = Create(new ScriptedHandler((_, _) => ValueTask.FromResult<FuseReply>(new DataReply(new byte[100], owner))));
        session.Dispatch(Read(10, size: 50));
        await session.DrainAsync(TimeSpan.FromSeconds(5));

        Header(device.Written.Single()).Error.Should().Be(-Errno.EIO);
        owner.Disposed.Should().BeTrue();
    }

    [Fact]
    public async Task Interrupt_of_a_hanging_handler_cancels_it_and_answers_eintr_exactly_once()
    {
        var cancelled = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        var (device, session, _) = Create(new ScriptedHandler(async (_, ct) =>
        {
            ct.Register(() => cancelled.TrySetResult());
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return FuseReply.Empty;
        }));

        session.Dispatch(Read(20));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(5));
        session.Dispatch(Interrupt(20));
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await session.DrainAsync(TimeSpan.FromSeconds(5));

        device.Written.Should().ContainSingle().Which.Should().Match<ReplyFrame>(f => f.Unique == 20 && Header(f).Error == -Errno.EINTR);
        session.InFlightCount.Should().Be(0);
    }

    [Fact]
    public async Task A_handler_that_ignores_the_interrupt_still_gets_only_the_eintr_reply()
    {
        var release = new TaskCompletionSource();
        var owner = new Owner();
        var (device, session, _) = Create(new ScriptedHandler(async (_, _) =>
        {
            await release.Task;
            return new DataReply(new byte[10], owner);
        }));

        session.Dispatch(Read(30));
        await WaitUntil(() => session.InFlightCount == 1);
        session.Dispatch(Interrupt(30));
        release.SetResult();
        await session.DrainAsync(TimeSpan.FromSeconds(5));

        device.Written.Should().ContainSingle().Which.Should().Match<ReplyFrame>(f => f.Unique == 30 && Header(f).Error == -Errno.EINTR);
        owner.Disposed.Should().BeTrue("the suppressed reply's buffer must go back to its pool");
    }

    [Fact]
    public async Task Interrupt_for_a_caller_that_is_not_dying_is_ignored_and_the_request_answered_normally()
    {
        // This test process is alive and has no SIGKILL pending: its signal was one it handles.
        var release = new TaskCompletionSource();
        var cancelled = false;
        var (device, session, _) = Create(new ScriptedHandler(async (_, ct) =>
        {
            ct.Register(() => cancelled = true);
            await release.Task;
            return new DataReply(new byte[10]);
        }));

        session.Dispatch(Read(35, pid: (uint)Environment.ProcessId));
        await WaitUntil(() => session.InFlightCount == 1);
        session.Dispatch(Interrupt(35));
        release.SetResult();
        await session.DrainAsync(TimeSpan.FromSeconds(5));

        cancelled.Should().BeFalse();
        device.Written.Should().ContainSingle().Which.Should().Match<ReplyFrame>(f => f.Unique == 35 && Header(f).Error == 0);
    }

    [Fact]
    public void Callers_without_a_thread_or_gone_count_as_dying_a_live_one_does_not()
    {
        CallerSignals.IsDying(0).Should().BeTrue();
        CallerSignals.IsDying(int.MaxValue).Should().BeTrue();
        CallerSignals.IsDying((uint)Environment.ProcessId).Should().BeFalse();
    }

    [Fact]
    public async Task Interrupt_for_an_unknown_request_is_answered_eagain_on_its_own_unique()
    {
        var (device, session, _) = Create(new ScriptedHandler((_, _) => ValueTask.FromResult(FuseReply.Empty)));
        session.Dispatch(Interrupt(40));
        await session.DrainAsync(TimeSpan.FromSeconds(5));

        device.Written.Should().ContainSingle().Which.Should().Match<ReplyFrame>(f => f.Unique == 41 && Header(f).Error == -Errno.EAGAIN);
    }

    [Fact]
    public async Task Forget_reaches_the_handler_and_is_never_answered()
    {
        var handler = new ScriptedHandler((_, _) => ValueTask.FromResult(FuseReply.Empty));
        var (device, session, _) = Create(handler);
        session.Dispatch(Frame(Opcode.Forget, 50, 7, Struct(new ForgetIn { Nlookup = 3 })));
        await session.DrainAsync(TimeSpan.FromSeconds(5));

        device.Written.Should().BeEmpty();
        handler.Forgotten.Should().ContainSingle().Which.Should().Be(new ForgetOne { NodeId = 7, Nlookup = 3 });
    }

    [Fact]
    public async Task A_throwing_forget_is_logged_and_not_answered()
    {
        var device = new FakeFuseDevice();
        var log = new LogSink();
        var session = new FuseServer(device, new ThrowingForget(), new FuseServerOptions { Logger = log.Log });
        session.Dispatch(Frame(Opcode.Forget, 50, 7, Struct(new ForgetIn { Nlookup = 3 })));
        await session.DrainAsync(TimeSpan.FromSeconds(5));

        device.Written.Should().BeEmpty();
        log.Lines.Should().ContainSingle(l => l.Level == FuseLogLevel.Error);
    }

    [Fact]
    public async Task Notify_reply_is_never_answered()
    {
        var (device, session, _) = Create(new ScriptedHandler((_, _) => ValueTask.FromResult(FuseReply.Empty)));
        session.Dispatch(Frame(Opcode.NotifyReply, 60, 0, new byte[40]));
        await session.DrainAsync(TimeSpan.FromSeconds(5));
        device.Written.Should().BeEmpty();
    }

    [Fact]
    public async Task Drain_timeout_cancels_and_answers_what_is_still_running()
    {
        var (device, session, _) = Create(new ScriptedHandler(async (_, _) =>
        {
            await Task.Delay(Timeout.Infinite, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(3));
            return FuseReply.Empty;
        }));
        session.Dispatch(Read(70));
        (await session.DrainAsync(TimeSpan.FromMilliseconds(100))).Should().BeFalse();

        device.Written.Should().ContainSingle().Which.Should().Match<ReplyFrame>(f => f.Unique == 70 && Header(f).Error == -Errno.EINTR);
    }

    [Fact]
    public async Task Many_concurrent_requests_get_one_reply_each()
    {
        var (device, session, _) = Create(new ScriptedHandler(async (r, ct) =>
        {
            await Task.Delay((int)(r.Unique % 7), ct);
            return new DataReply(new byte[(int)(r.Unique % 100)]);
        }));
        for (ulong u = 2; u < 2002; u += 2)
        {
            session.Dispatch(Read(u));
        }

        await session.DrainAsync(TimeSpan.FromSeconds(20));
        device.Written.Select(f => f.Unique).Should().OnlyHaveUniqueItems().And.HaveCount(1000);
        device.Written.Should().OnlyContain(f => f.Body.Length == (int)(f.Unique % 100));
    }

    [Fact]
    public async Task Write_failures_other_than_enoent_are_logged()
    {
        var (device, session, log) = Create(new ScriptedHandler((_, _) => ValueTask.FromResult(FuseReply.Error(Errno.ENOENT))));
        device.WriteErrno = Errno.EINVAL;
        session.Dispatch(Read(80));
        await session.DrainAsync(TimeSpan.FromSeconds(5));
        log.Lines.Should().Contain(l => l.Level == FuseLogLevel.Warning && l.Message.Contains("EINVAL", StringComparison.Ordinal));

        device.WriteErrno = Errno.ENOENT;
        session.Dispatch(Read(82));
        await session.DrainAsync(TimeSpan.FromSeconds(5));
        log.Lines.Should().NotContain(l => l.Message.Contains("82", StringComparison.Ordinal));
    }

    [Fact]
    public void Fits_accepts_errors_and_matching_kinds_only()
    {
        var header = new RequestHeader(80, (uint)Opcode.Readdir, 2, 1, 0, 0, 0);
        var readdir = new ReaddirRequest(header, false, 1, 0, 100);
        FuseServer.Fits(readdir, FuseReply.Error(Errno.EIO)).Should().BeTrue();
        FuseServer.Fits(readdir, new DirectoryReply(new byte[50], false, 1)).Should().BeTrue();
        FuseServer.Fits(readdir, new DirectoryReply(new byte[50], true, 1)).Should().BeFalse();
        FuseServer.Fits(readdir, new DirectoryReply(new byte[150], false, 1)).Should().BeFalse();
        FuseServer.Fits(readdir, new EntryReply(default)).Should().BeFalse();
    }

    private sealed class Owner : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    private sealed class ThrowingForget : FuseHandlerBase
    {
        public override void Forget(IReadOnlyList<ForgetOne> items) => throw new InvalidOperationException("forget failed");
    }
}
