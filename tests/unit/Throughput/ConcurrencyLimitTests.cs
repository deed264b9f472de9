using EsxiImport.EsxiFuse.Throughput;

namespace EsxiImport.UnitTests.Throughput;

/// <summary>The adaptive limit's rules one at a time (the properties drive it against whole hosts).</summary>
public sealed class ConcurrencyLimitTests
{
    private static readonly TimeSpan T = TimeSpan.FromSeconds(1);

    [Fact]
    public void It_starts_at_upstreams_four_under_the_ceiling_and_refuses_a_ceiling_of_zero()
    {
        new ConcurrencyLimit(16).Limit.Should().Be(ConcurrencyLimit.Initial);
        new ConcurrencyLimit(2).Limit.Should().Be(2);
        var zero = () => new ConcurrencyLimit(0);
        zero.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void A_503_of_a_request_sent_under_a_higher_limit_does_not_cut_again_but_holds_the_probe()
    {
        var limit = new ConcurrencyLimit(16, busyHold: TimeSpan.FromSeconds(30));
        limit.OnBusy(4, T).Should().BeNull("a lone 503 at a limit the host has been taking");
        limit.OnBusy(4, T).Should().Be(new LimitChange(4, 3, LimitReason.Busy), "the second within two seconds");
        limit.OnBusy(4, T).Should().BeNull();
        limit.OnWindow(3e6, 1e-7, true, T * 10).Should().BeNull("held for 30 s after a 503");
        limit.OnWindow(3e6, 1e-7, true, T * 32).Should().Be(new LimitChange(3, 4, LimitReason.Probe), "one at a time after a 503");
        limit.OnBusy(1, T * 33).Should().Be(new LimitChange(4, 1, LimitReason.Busy));
        limit.OnBusy(1, T * 34).Should().BeNull("never below one");
    }

    [Fact]
    public void At_a_limit_the_host_has_been_taking_a_lone_503_holds_the_probe_and_a_second_within_two_seconds_cuts()
    {
        var limit = new ConcurrencyLimit(16, busyHold: TimeSpan.FromSeconds(30), busyConfirm: TimeSpan.FromSeconds(2));
        limit.OnWindow(4e6, 1e-7, true, T).Should().Be(new LimitChange(4, 6, LimitReason.Probe));
        limit.OnWindow(6e6, 1e-7, true, T * 2).Should().Be(new LimitChange(6, 9, LimitReason.Probe), "six paid: slow start goes on");
        limit.OnBusy(9, T * 3).Should().Be(new LimitChange(9, 8, LimitReason.Busy), "the 503 that ends a probe cuts at once");
        limit.OnBusy(8, T * 4).Should().BeNull("the host counted one more than we did, once: the probe's 503 does not confirm it");
        limit.OnBusy(8, T * 10).Should().BeNull("six seconds later: lone again");
        limit.OnWindow(8e6, 1e-7, true, T * 20).Should().BeNull("a lone 503 still holds the probe for 30 s");
        limit.OnBusy(8, T * 11).Should().Be(new LimitChange(8, 7, LimitReason.Busy), "a second within two seconds: the host takes fewer now");
        limit.OnBusy(7, T * 50).Should().BeNull();
        limit.OnBusy(7, T * 51).Should().Be(new LimitChange(7, 6, LimitReason.Busy));
    }

    [Fact]
    public void A_clear_latency_rise_cuts_one_and_holds_but_never_below_upstreams_four()
    {
        var limit = new ConcurrencyLimit(16);
        limit.OnWindow(4e6, 1e-7, true, T).Should().Be(new LimitChange(4, 6, LimitReason.Probe));
        limit.OnWindow(6e6, 2.9e-7, true, T * 2).Should().Be(new LimitChange(6, 9, LimitReason.Probe), "under three times the best, and six paid");
        limit.OnWindow(9e6, 3.1e-7, true, T * 3).Should().Be(new LimitChange(9, 8, LimitReason.Latency));
        limit.OnWindow(8e6, 1e-7, true, T * 4).Should().BeNull("held after the cut");
        limit.OnWindow(8e6, 5e-7, true, T * 5).Should().Be(new LimitChange(8, 7, LimitReason.Latency), "the hold stops probes, not cuts");
        limit.OnWindow(7e6, 5e-7, true, T * 6).Should().Be(new LimitChange(7, 6, LimitReason.Latency));
        limit.OnWindow(6e6, 5e-7, true, T * 7).Should().Be(new LimitChange(6, 5, LimitReason.Latency));
        limit.OnWindow(5e6, 5e-7, true, T * 8).Should().Be(new LimitChange(5, 4, LimitReason.Latency));
        limit.OnWindow(4e6, 1e-3, true, T * 9).Should().BeNull("small random reads are slow per byte; that is no reason to go below upstream's 4");
        limit.OnWindow(double.NaN, 1e-7, true, T * 20).Should().BeNull();
        limit.OnWindow(0, 1e-7, true, T * 20).Should().BeNull();
        limit.Limit.Should().Be(4);
    }

    [Fact]
    public void A_503_above_upstreams_number_is_our_own_probe_and_one_at_or_below_is_the_hosts()
    {
        var limit = new ConcurrencyLimit(16);
        limit.IsOwnProbe(5).Should().BeTrue("upstream keeps 4 in flight and would not have sent it");
        limit.IsOwnProbe(4).Should().BeFalse();
        limit.OnWindow(4e6, 1e-7, true, T).Should().Be(new LimitChange(4, 6, LimitReason.Probe));
        limit.IsOwnProbe(6).Should().BeTrue();
        limit.OnBusy(6, T * 2).Should().Be(new LimitChange(6, 5, LimitReason.Busy));
        limit.IsOwnProbe(4).Should().BeFalse();
    }

    [Fact]
    public void A_pinned_limit_never_moves_and_no_503_is_its_own()
    {
        var limit = ConcurrencyLimit.Pinned(4);
        limit.IsPinned.Should().BeTrue();
        (limit.Limit, limit.Ceiling).Should().Be((4, 4));
        limit.OnBusy(2, T).Should().BeNull();
        limit.OnWindow(4e6, 1e-7, true, T * 100).Should().BeNull();
        limit.OnWindow(4e6, 1e-3, true, T * 200).Should().BeNull();
        limit.IsOwnProbe(9).Should().BeFalse();
        limit.Limit.Should().Be(4);
    }
}
