using EsxiImport.EsxiFuse.Caching;

namespace EsxiImport.UnitTests.Caching;

/// <summary>
/// The access-pattern detector: read-ahead only after reads in a row that each start near where
/// the last ended (two), doubling while that holds; any far jump drops it to none.
/// </summary>
public sealed class FileReadStateTests
{
    private const int MaxWindow = 8;
    private const long Tolerance = 1 << 20;

    [Fact]
    public void A_sequential_reader_gets_read_ahead_from_its_second_read_doubling_up_to_the_limit()
    {
        var state = new FileReadState();
        var windows = Enumerable.Range(0, 6).Select(i => state.Observe(i * 131072L, 131072, MaxWindow, Tolerance)).ToList();
        windows.Should().Equal(0, 1, 2, 4, 8, 8);
    }

    [Fact]
    public void A_random_reader_that_lands_near_once_gets_none_and_twice_in_a_row_starts_again_at_one()
    {
        var state = new FileReadState();
        state.Observe(100L << 20, 4096, MaxWindow, Tolerance).Should().Be(0, "a first read far from 0");
        state.Observe(500L << 20, 4096, MaxWindow, Tolerance).Should().Be(0);
        state.Observe((500L << 20) + (512 << 10), 4096, MaxWindow, Tolerance).Should().Be(0, "one near read proves nothing");
        state.Observe((500L << 20) + (768 << 10), 4096, MaxWindow, Tolerance).Should().Be(1, "a second near read in a row confirms a run");
        state.Observe(3L << 30, 4096, MaxWindow, Tolerance).Should().Be(0, "a far jump ends it");
        state.Observe((3L << 30) + 8192, 4096, MaxWindow, Tolerance).Should().Be(0);
        state.Observe((3L << 30) + 16384, 4096, MaxWindow, Tolerance).Should().Be(1);
    }

    [Fact]
    public void Reads_arriving_slightly_out_of_order_within_the_tolerance_keep_the_run()
    {
        var state = new FileReadState();
        state.Observe(0, 131072, MaxWindow, Tolerance);
        state.Observe(262144, 131072, MaxWindow, Tolerance).Should().Be(1);
        state.Observe(131072, 131072, MaxWindow, Tolerance).Should().Be(2, "the kernel's concurrent reads may come in any order");
    }
}
