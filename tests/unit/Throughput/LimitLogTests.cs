using EsxiImport.EsxiFuse.Throughput;

using Microsoft.Extensions.Time.Testing;

namespace EsxiImport.UnitTests.Throughput;

/// <summary>The limit's debug record: at most one per interval, moves in between folded, the last one never lost.</summary>
public sealed class LimitLogTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    [Fact]
    public void The_first_move_is_written_at_once_and_moves_within_the_interval_are_folded_into_one_record_when_it_ends()
    {
        var clock = new FakeTimeProvider();
        var records = new List<LimitReport>();
        using var log = new LimitLog(Interval, records.Add, clock);

        log.Moved(new LimitChange(4, 6, LimitReason.Probe));
        records.Should().Equal(new LimitReport(4, 6, LimitReason.Probe, 1));

        clock.Advance(TimeSpan.FromMilliseconds(100));
        log.Moved(new LimitChange(6, 9, LimitReason.Probe));
        log.Moved(new LimitChange(9, 6, LimitReason.NoGain));
        log.Moved(new LimitChange(6, 5, LimitReason.Busy));
        records.Should().HaveCount(1, "within the interval nothing more is written");

        clock.Advance(TimeSpan.FromMilliseconds(900));
        records.Should().Equal(new LimitReport(4, 6, LimitReason.Probe, 1), new LimitReport(6, 5, LimitReason.Busy, 3));

        clock.Advance(TimeSpan.FromSeconds(5));
        records.Should().HaveCount(2, "no move, no record");
        log.Moved(new LimitChange(5, 6, LimitReason.Probe));
        records.Last().Should().Be(new LimitReport(5, 6, LimitReason.Probe, 1), "after a quiet interval a move is written at once");
    }

    [Fact]
    public void A_storm_of_moves_gives_one_record_per_interval_and_dispose_writes_the_last()
    {
        var clock = new FakeTimeProvider();
        var records = new List<LimitReport>();
        var log = new LimitLog(Interval, records.Add, clock);
        for (var i = 0; i < 1000; i++)
        {
            log.Moved(new LimitChange(4 + (i % 2), 5 - (i % 2), LimitReason.Probe));
            clock.Advance(TimeSpan.FromMilliseconds(10));
        }

        records.Count.Should().BeInRange(10, 11, "ten seconds of moves");
        log.Dispose();
        records.Last().To.Should().Be(4, "the last move went to 4");
        records.Sum(r => r.Moves).Should().Be(1000);
    }
}
