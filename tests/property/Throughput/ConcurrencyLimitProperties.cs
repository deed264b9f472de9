using EsxiImport.EsxiFuse.Throughput;

using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EsxiImport.PropertyTests.Throughput;

/// <summary>
/// The adaptive limit's arithmetic against simulated hosts: it never leaves [1, ceiling], every
/// move is reported as it happens, it settles at a per-request-limited host's 503 threshold
/// with few 503s, and it stops climbing at a host's total cap.
/// </summary>
public sealed class ConcurrencyLimitProperties
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(500);

    /// <summary>Events of a limit: kind (0 a 503, 1 a busy window, 2 a window the reader paced), requests in flight, rate.</summary>
    private static Arbitrary<List<(int Kind, int N, int Rate)>> Events(int kinds) =>
        (from k in Gen.Choose(0, kinds - 1) from n in Gen.Choose(0, 80) from r in Gen.Choose(0, 1000) select (Kind: k, N: n, Rate: r)).ListOf().ToArbitrary();

    [Property]
    public Property Any_events_keep_the_limit_within_bounds_and_report_every_move() =>
        Prop.ForAll(
            Gen.Choose(1, 64).ToArbitrary(),
            Events(kinds: 3),
            (ceiling, events) =>
            {
                var limit = new ConcurrencyLimit(ceiling);
                limit.Limit.Should().Be(Math.Min(4, ceiling));
                var now = TimeSpan.Zero;
                foreach (var (kind, n, rate) in events)
                {
                    now += Window;
                    var before = limit.Limit;
                    LimitChange? change = kind switch
                    {
                        0 => limit.OnBusy(n, now),
                        1 => limit.OnWindow(rate * 1e5, 1e-8 * (n + 1), saturated: true, now),
                        _ => limit.OnWindow(rate * 1e5, 1e-8, saturated: false, now),
                    };
                    limit.Limit.Should().BeInRange(1, ceiling);
                    if (change is { } c)
                    {
                        (c.From, c.To).Should().Be((before, limit.Limit));
                        c.From.Should().NotBe(c.To);
                    }
                    else
                    {
                        limit.Limit.Should().Be(before);
                    }

                    if (kind == 2)
                    {
                        change.Should().BeNull("a window the reader paced teaches nothing");
                    }
                }
            });

    [Property]
    public Property On_a_per_request_host_it_settles_at_the_503_threshold_with_few_503s() =>
        Prop.ForAll(Gen.Choose(1, 24).ToArbitrary(), Gen.Choose(1, 32).ToArbitrary(), (threshold, ceiling) =>
        {
            // Each request moves 10 MiB/s; a request sent above the threshold gets 503.
            var limit = new ConcurrencyLimit(ceiling);
            var now = TimeSpan.Zero;
            var busy = 0;
            var hostsOwn = 0;
            var tail = new List<int>();
            var minutes = 4;
            for (var i = 0; now < TimeSpan.FromMinutes(minutes); i++)
            {
                now += Window;
                if (limit.Limit > threshold)
                {
                    // Every request above the threshold is refused; the first had threshold + 1 in flight.
                    busy += limit.Limit - threshold;
                    for (var n = threshold + 1; n <= limit.Limit; n++)
                    {
                        hostsOwn += limit.IsOwnProbe(n) ? 0 : 1;
                        limit.OnBusy(n, now);
                    }
                }
                else
                {
                    limit.OnWindow(limit.Limit * 10e6, 1e-7, saturated: true, now);
                }

                if (now > TimeSpan.FromMinutes(1))
                {
                    tail.Add(limit.Limit);
                }
            }

            var target = Math.Min(threshold, ceiling);
            tail.Count(l => l == target).Should().BeGreaterThanOrEqualTo(tail.Count * 9 / 10, "it sits at the threshold");
            tail.Should().OnlyContain(l => l <= target + 1);
            // The climb overshoots by at most half a step (slow start), then one 503 per hold of 30 s.
            // A host that takes upstream's 4 only ever refuses our probes: no read waits as for a busy host.
            if (threshold >= ConcurrencyLimit.Initial)
            {
                hostsOwn.Should().Be(0);
            }

            busy.Should().BeLessThanOrEqualTo(Math.Max(0, ConcurrencyLimit.Initial - threshold) + (threshold / 2) + 2 + (minutes * 60 / 30), $"threshold {threshold}, ceiling {ceiling}");
        });

    [Property]
    public Property On_a_host_with_a_total_cap_it_stops_near_the_cap() =>
        Prop.ForAll(Gen.Choose(10, 200).ToArbitrary(), capTenths =>
        {
            // Each request 1 unit/s, the host moves at most cap units/s; the ceiling is out of reach.
            var cap = capTenths / 10.0;
            var limit = new ConcurrencyLimit(64);
            var now = TimeSpan.Zero;
            var tail = new List<int>();
            while (now < TimeSpan.FromMinutes(3))
            {
                now += Window;
                var rate = Math.Min(limit.Limit, cap) * 1e6;
                limit.OnWindow(rate, 1e-7 * limit.Limit / Math.Min(limit.Limit, cap), saturated: true, now);
                if (now > TimeSpan.FromMinutes(1))
                {
                    tail.Add(limit.Limit);
                }
            }

            // Below upstream's 4 it only goes on a 503 or a latency rise; above, the climb stops at the cap.
            var low = Math.Min(ConcurrencyLimit.Initial, Math.Floor(cap) - 1);
            var high = Math.Max(ConcurrencyLimit.Initial, Math.Ceiling(cap)) + 2;
            tail.Should().OnlyContain(l => l >= low && l <= high, $"the cap is {cap}");
        });

    [Property]
    public Property A_pinned_limit_never_moves_and_never_calls_a_503_its_own() =>
        Prop.ForAll(
            Gen.Choose(1, 64).ToArbitrary(),
            Events(kinds: 2),
            (size, events) =>
            {
                var limit = ConcurrencyLimit.Pinned(size);
                var now = TimeSpan.Zero;
                foreach (var (kind, n, rate) in events)
                {
                    now += Window;
                    limit.IsOwnProbe(n).Should().BeFalse();
                    var change = kind == 0 ? limit.OnBusy(n, now) : limit.OnWindow(rate * 1e5, 1e-8 * (n + 1), saturated: true, now);
                    change.Should().BeNull();
                    limit.Limit.Should().Be(size);
                }
            });
}
