using EsxiImport.Emulator.Pacing;

using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EsxiImport.PropertyTests.Emulator;

/// <summary>
/// The host model's arithmetic: a pacer's schedule is exact (what makes a benchmark on the
/// emulator repeat), shared pacers add up, and idle time is never banked beyond the slack.
/// </summary>
public sealed class BandwidthPacerProperties
{
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(50);

    private static Arbitrary<long> Rates => Gen.Choose(1, 1_000_000_000).Select(r => (long)r).ToArbitrary();

    private static Arbitrary<int[]> Chunks => Gen.Choose(0, 1 << 20).ArrayOf().Select(a => a.Take(50).ToArray()).ToArbitrary();

    [Property]
    public Property Back_to_back_reservations_end_at_the_total_over_the_rate() =>
        Prop.ForAll(Rates, Chunks, Gen.Choose(0, 1_000_000).ToArbitrary(), (rate, chunks, startMs) =>
        {
            var pacer = new BandwidthPacer(rate, Slack);
            var now = TimeSpan.FromMilliseconds(startMs);
            var due = now;
            foreach (var c in chunks)
            {
                var next = pacer.Reserve(c, now);
                (next >= due).Should().BeTrue("the schedule never runs backwards");
                due = next;
            }

            // Each reservation rounds up by less than one tick.
            var exact = (double)chunks.Sum(c => (long)c) / rate * TimeSpan.TicksPerSecond;
            var ticks = (due - now).Ticks;
            (ticks >= exact && ticks < exact + chunks.Length + 1).Should().BeTrue($"{ticks} ticks for {exact} exact");
        });

    [Property]
    public Property A_sender_that_wakes_late_still_moves_exactly_the_rate() =>
        Prop.ForAll(Rates, Gen.Choose(40, 200).ArrayOf().ToArbitrary(), Gen.Choose(0, 40).ToArbitrary(), (rate, sliceMs, lateMs) =>
        {
            // Slices of 40–200 ms each, and the sender wakes up to 40 ms late every time (a loaded
            // machine): within the slack the schedule absorbs it, so only the last wake-up is late.
            var pacer = new BandwidthPacer(rate, Slack);
            var chunks = sliceMs.Take(50).Select(ms => Math.Max(1, rate * ms / 1000)).ToArray();
            var clock = TimeSpan.Zero;
            var late = TimeSpan.FromMilliseconds(lateMs);
            foreach (var c in chunks)
            {
                var due = pacer.Reserve(c, clock);
                clock = (due > clock ? due : clock) + late;
            }

            var exact = (double)chunks.Sum() / rate * TimeSpan.TicksPerSecond;
            var over = (clock - (chunks.Length == 0 ? TimeSpan.Zero : late)).Ticks - exact;
            (over >= 0 && over < chunks.Length + 1).Should().BeTrue($"{over} ticks over the exact time");
        });

    [Property]
    public Property Idle_time_is_banked_at_most_the_slack() =>
        Prop.ForAll(Rates, Gen.Choose(1, 1 << 20).ToArbitrary(), Gen.Choose(0, 100_000).ToArbitrary(), (rate, bytes, idleMs) =>
        {
            var pacer = new BandwidthPacer(rate, Slack);
            var first = pacer.Reserve(bytes, TimeSpan.Zero);
            var now = first + TimeSpan.FromMilliseconds(idleMs);
            var due = pacer.Reserve(bytes, now);
            var credit = TimeSpan.FromMilliseconds(Math.Min(idleMs, Slack.TotalMilliseconds));
            due.Should().Be(now - credit + pacer.Duration(bytes));
        });

    [Property]
    public Property Senders_sharing_a_pacer_get_the_rate_together() =>
        Prop.ForAll(Rates, Gen.Choose(1, 16).ToArbitrary(), Gen.Choose(1, 1 << 20).ToArbitrary(), (rate, senders, chunk) =>
        {
            var shared = new BandwidthPacer(rate, Slack);
            var due = Enumerable.Range(0, senders).Select(_ => shared.Reserve(chunk, TimeSpan.Zero)).Max();
            var alone = new BandwidthPacer(rate, Slack).Reserve((long)chunk * senders, TimeSpan.Zero);
            (due - alone).Duration().Ticks.Should().BeLessThanOrEqualTo(senders);
        });

    [Fact]
    public void A_pacer_refuses_a_rate_of_zero_and_negative_amounts()
    {
        var zero = () => new BandwidthPacer(0, Slack);
        zero.Should().Throw<ArgumentOutOfRangeException>();
        var slack = () => new BandwidthPacer(1, TimeSpan.FromTicks(-1));
        slack.Should().Throw<ArgumentOutOfRangeException>();
        var negative = () => new BandwidthPacer(1, Slack).Reserve(-1, TimeSpan.Zero);
        negative.Should().Throw<ArgumentOutOfRangeException>();
        new BandwidthPacer(1 << 20, Slack).Duration(1 << 20).Should().Be(TimeSpan.FromSeconds(1));
        BandwidthPacer.DefaultSlack.Should().Be(TimeSpan.FromMilliseconds(50));
    }
}
