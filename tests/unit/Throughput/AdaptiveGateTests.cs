using EsxiImport.EsxiFuse.Throughput;

namespace EsxiImport.UnitTests.Throughput;

/// <summary>The gate that follows the adaptive limit: slots, order, cancellation, 503s and measurement windows.</summary>
public sealed class AdaptiveGateTests
{
    private sealed class ManualClock : TimeProvider
    {
        public long Ticks { get; set; }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Ticks;

        public void Advance(TimeSpan by) => Ticks += by.Ticks;
    }

    [Fact]
    public async Task Requests_beyond_the_limit_wait_in_order_and_leaving_admits_the_next()
    {
        var gate = new AdaptiveGate(new ConcurrencyLimit(16));
        var counts = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            counts.Add(await gate.EnterAsync(CancellationToken.None));
        }

        counts.Should().Equal(1, 2, 3, 4);
        var fifth = gate.EnterAsync(CancellationToken.None);
        var sixth = gate.EnterAsync(CancellationToken.None);
        fifth.IsCompleted.Should().BeFalse();
        gate.Leave(0, TimeSpan.Zero);
        (await fifth).Should().Be(4);
        sixth.IsCompleted.Should().BeFalse();
        gate.InFlight.Should().Be(4);
    }

    [Fact]
    public async Task A_cancelled_waiter_gives_up_its_place()
    {
        var gate = new AdaptiveGate(new ConcurrencyLimit(1));
        await gate.EnterAsync(CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var waiting = gate.EnterAsync(cts.Token);
        var next = gate.EnterAsync(CancellationToken.None);
        await cts.CancelAsync();
        var act = async () => await waiting;
        await act.Should().ThrowAsync<OperationCanceledException>();
        gate.Leave(0, TimeSpan.Zero);
        (await next).Should().Be(1);
    }

    [Fact]
    public async Task A_503_cuts_the_limit_below_the_requests_in_flight_and_new_ones_wait_until_enough_left()
    {
        var moves = new List<LimitChange>();
        var gate = new AdaptiveGate(new ConcurrencyLimit(16), new ManualClock(), moves.Add);
        for (var i = 0; i < 4; i++)
        {
            await gate.EnterAsync(CancellationToken.None);
        }

        gate.Busy().Should().BeFalse("four is upstream's number: the host is busy, not probed");
        gate.Busy().Should().BeFalse();
        moves.Should().Equal(new LimitChange(4, 3, LimitReason.Busy));
        gate.Limit.Should().Be(3);
        gate.Leave(0, TimeSpan.Zero);
        var waiting = gate.EnterAsync(CancellationToken.None);
        waiting.IsCompleted.Should().BeFalse("3 are in flight, the new limit");
        gate.Leave(0, TimeSpan.Zero);
        (await waiting).Should().Be(3);
    }

    [Fact]
    public async Task Busy_windows_that_gain_raise_the_limit_and_a_flat_one_takes_it_back()
    {
        var clock = new ManualClock();
        var moves = new List<LimitChange>();
        var gate = new AdaptiveGate(new ConcurrencyLimit(16), clock, moves.Add);

        // Each request moves 1 MiB in 100 ms: throughput grows with the number in flight.
        async Task RoundAsync(int requests, long bytes)
        {
            for (var i = 0; i < requests; i++)
            {
                await gate.EnterAsync(CancellationToken.None);
            }

            clock.Advance(TimeSpan.FromMilliseconds(300));
            for (var i = 0; i < requests; i++)
            {
                gate.Leave(bytes, TimeSpan.FromMilliseconds(300));
            }
        }

        await RoundAsync(4, 1 << 20);
        moves.Should().Equal(new LimitChange(4, 6, LimitReason.Probe));
        await RoundAsync(6, 1 << 20);
        moves.Last().Should().Be(new LimitChange(6, 9, LimitReason.Probe));

        // Nine in flight move no more than six did: back to six.
        await RoundAsync(9, (6L << 20) / 9);
        moves.Last().Should().Be(new LimitChange(9, 6, LimitReason.NoGain));
        gate.Limit.Should().Be(6);
    }

    [Fact]
    public async Task Windows_the_reader_paced_and_failed_requests_change_nothing()
    {
        var clock = new ManualClock();
        var moves = new List<LimitChange>();
        var gate = new AdaptiveGate(new ConcurrencyLimit(16), clock, moves.Add);
        for (var round = 0; round < 5; round++)
        {
            await gate.EnterAsync(CancellationToken.None);
            clock.Advance(TimeSpan.FromMilliseconds(300));
            gate.Leave(1 << 20, TimeSpan.FromMilliseconds(300));
            await gate.EnterAsync(CancellationToken.None);
            gate.Leave(0, TimeSpan.FromMilliseconds(1));
        }

        moves.Should().BeEmpty();
        gate.Limit.Should().Be(4);
    }

    [Fact]
    public async Task A_503_above_upstreams_four_is_the_probes_own()
    {
        var limit = new ConcurrencyLimit(16);
        limit.OnWindow(4e6, 1e-7, saturated: true, TimeSpan.Zero).Should().Be(new LimitChange(4, 6, LimitReason.Probe));
        var moves = new List<LimitChange>();
        var gate = new AdaptiveGate(limit, new ManualClock(), moves.Add);
        for (var i = 0; i < 6; i++)
        {
            await gate.EnterAsync(CancellationToken.None);
        }

        gate.Busy().Should().BeTrue("upstream would not have sent a sixth: the 503 is the probe's");
        moves.Should().Equal(new LimitChange(6, 5, LimitReason.Busy));
        gate.Leave(0, TimeSpan.Zero);
        gate.Leave(0, TimeSpan.Zero);
        gate.Busy().Should().BeFalse("four in flight is upstream's number: now the host is busy");
    }
}
