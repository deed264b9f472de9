using EsxiImport.Emulator.Datastore;

namespace EsxiImport.UnitTests.Emulator;

public sealed class ContentGeneratorTests
{
    [Theory]
    [InlineData(0, 100)]
    [InlineData(3, 29)]
    [InlineData(7, 1)]
    [InlineData(1_000_001, 4099)]
    public void Pattern_ranges_equal_the_same_bytes_of_the_whole(long offset, int length)
    {
        var whole = new byte[1_100_000];
        PatternContent.Fill(9, 0, whole);
        var part = new byte[length];
        PatternContent.Fill(9, offset, part);
        part.Should().Equal(whole.AsSpan((int)offset, length).ToArray());
    }

    [Fact]
    public void Pattern_words_follow_the_documented_formula_and_blocks_differ()
    {
        var bytes = new byte[16];
        const long Offset = (5L << 20) + 8;
        PatternContent.Fill(4, Offset, bytes);
        var index = (ulong)Offset / 8;
        var expected = PatternContent.SplitMix(4, index & ((1 << 17) - 1)) ^ PatternContent.SplitMix(4 ^ 0xD1B54A32D192ED03UL, index >> 17);
        BitConverter.ToUInt64(bytes, 0).Should().Be(expected);

        var first = new byte[4096];
        var next = new byte[4096];
        PatternContent.Fill(4, 0, first);
        PatternContent.Fill(4, 1 << 20, next);
        first.Should().NotEqual(next);
    }

    [Fact]
    public void Pattern_depends_on_the_seed_and_is_not_trivial()
    {
        var a = new byte[64];
        var b = new byte[64];
        PatternContent.Fill(1, 0, a);
        PatternContent.Fill(2, 0, b);
        a.Should().NotEqual(b);
        a.Distinct().Count().Should().BeGreaterThan(30);
    }

    [Fact]
    public void Sparse_marks_the_start_of_every_stride_and_is_zero_elsewhere()
    {
        var c = new SparseContent(4096 * 4, 3, 4096);
        var all = c.ReadAll();
        for (var block = 0; block < 4; block++)
        {
            all.AsSpan(block * 4096, SparseContent.MarkLength).ToArray().Should().NotEqual(new byte[SparseContent.MarkLength]);
            all.AsSpan((block * 4096) + SparseContent.MarkLength, 4096 - SparseContent.MarkLength).ToArray().Should().OnlyContain(x => x == 0);
        }

        var middle = new byte[700];
        c.Read(4000, middle);
        middle.Should().Equal(all.AsSpan(4000, 700).ToArray());
    }

    [Fact]
    public void Text_content_is_padded_with_zeros_up_to_a_larger_size()
    {
        var c = new BytesContent("abc"u8.ToArray(), 6);
        c.ReadAll().Should().Equal((byte)'a', (byte)'b', (byte)'c', 0, 0, 0);
    }
}
