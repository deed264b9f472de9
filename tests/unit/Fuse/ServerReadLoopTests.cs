using EsxiImport.Fuse.Connection;
using EsxiImport.Fuse.Protocol;
using EsxiImport.Fuse.Protocol.Requests;
using EsxiImport.Fuse.Protocol.Wire;

using static EsxiImport.UnitTests.Fuse.SessionTestKit;

namespace EsxiImport.UnitTests.Fuse;

/// <summary>The reader threads against a fake device: errno handling, INIT, and how the loop ends.</summary>
public sealed class SessionReadLoopTests
{
    private static FuseServer Start(FakeFuseDevice device, IFuseRequestHandler handler, LogSink? log = null, int readers = 2)
    {
        var session = new FuseServer(device, handler, new FuseServerOptions { ReaderThreads = readers, PollIntervalMs = 20, Logger = log is null ? null : log.Log });
        session.Start();
        return session;
    }

    private static readonly ScriptedHandler Echo = new((r, _) => ValueTask.FromResult<FuseReply>(r is ReadRequest rr ? new DataReply(new byte[rr.Size]) : FuseReply.Empty));

    [Fact]
    public async Task Init_is_answered_then_requests_flow_and_enodev_ends_the_loop()
    {
        using var device = new FakeFuseDevice();
        var session = Start(device, Echo);
        device.Enqueue(HexFixture.Frames("init-7.45.in.hex")[0]);
        var info = await session.Initialized.WaitAsync(TimeSpan.FromSeconds(5));
        info.Minor.Should().Be(38);
        info.Flags.Should().HaveFlag(InitFlags.AsyncRead).And.HaveFlag(InitFlags.MaxPages).And.HaveFlag(InitFlags.ParallelDirops).And.HaveFlag(InitFlags.DoReaddirplus);
        info.ToString().Should().Contain("negotiated 7.38");

        device.EnqueueErrno(Errno.EINTR);
        device.EnqueueErrno(Errno.ENOENT);
        device.EnqueueErrno(Errno.EAGAIN);
        device.Enqueue(Read(4, size: 10));
        device.Unmount();

        (await session.ReadersEnded.WaitAsync(TimeSpan.FromSeconds(5))).Should().Be(ServerEnd.Unmounted);
        await session.DrainAsync(TimeSpan.FromSeconds(5));
        device.Written.Select(f => f.Unique).Should().Equal(2UL, 4UL);
    }

    [Fact]
    public async Task Readers_ending_before_init_fail_the_initialized_task()
    {
        using var device = new FakeFuseDevice();
        var session = Start(device, Echo);
        device.Unmount();
        await session.ReadersEnded.WaitAsync(TimeSpan.FromSeconds(5));
        await FluentActions.Awaiting(() => session.Initialized).Should().ThrowAsync<InvalidOperationException>();
    }

    [Fact]
    public async Task An_unexpected_read_errno_ends_the_loop_with_a_log_line()
    {
        using var device = new FakeFuseDevice();
        var log = new LogSink();
        var session = Start(device, Echo, log, readers: 1);
        device.EnqueueErrno(Errno.EINVAL);
        (await session.ReadersEnded.WaitAsync(TimeSpan.FromSeconds(5))).Should().Be(ServerEnd.Failed);
        log.Lines.Should().Contain(l => l.Level == FuseLogLevel.Error && l.Message.Contains("EINVAL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Request_stop_ends_idle_readers_within_a_poll_period()
    {
        using var device = new FakeFuseDevice();
        var session = Start(device, Echo, readers: 3);
        session.RequestStop();
        (await session.ReadersEnded.WaitAsync(TimeSpan.FromSeconds(5))).Should().Be(ServerEnd.Stopped);
    }

    [Fact]
    public async Task A_kernel_with_a_newer_major_gets_major_7_alone_and_the_session_waits_for_the_second_init()
    {
        using var device = new FakeFuseDevice();
        var session = Start(device, Echo);
        device.Enqueue(HexFixture.Frames("init-major-8.in.hex")[0]);
        await WaitUntil(() => device.Written.Count == 1);
        session.Initialized.IsCompleted.Should().BeFalse();
        device.Enqueue(HexFixture.Frames("init-7.45.in.hex")[0]);
        (await session.Initialized.WaitAsync(TimeSpan.FromSeconds(5))).KernelMinor.Should().Be(45);
        session.RequestStop();
        await session.ReadersEnded.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
