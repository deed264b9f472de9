using EsxiImport.Fuse.FileSystem;

namespace EsxiImport.UnitTests.Fuse;

public sealed class InodeTableTests
{
    private static readonly FsAttributes File = FsAttributes.File(1, DateTimeOffset.UnixEpoch);

    [Fact]
    public void The_same_name_keeps_its_number_and_lookups_accumulate()
    {
        var table = new InodeTable<string>("root");
        var a = table.Remember(1, "a", "node-a", File);
        var again = table.Remember(1, "a", "node-a2", File);
        again.Ino.Should().Be(a.Ino);
        again.Generation.Should().Be(a.Generation);
        table.TryGet(a.Ino, out var known).Should().BeTrue();
        known.Node.Should().Be("node-a2");

        table.Forget(a.Ino, 1);
        table.TryGet(a.Ino, out _).Should().BeTrue("one lookup is still held");
        table.Forget(a.Ino, 1);
        table.TryGet(a.Ino, out _).Should().BeFalse();
    }

    [Fact]
    public void A_forgotten_node_comes_back_with_the_same_number_and_the_next_generation()
    {
        var table = new InodeTable<string>("root");
        var first = table.Remember(1, "a", "n", File);
        table.Forget(first.Ino, 5);
        var second = table.Remember(1, "a", "n", File);
        second.Ino.Should().Be(first.Ino);
        second.Generation.Should().Be(first.Generation + 1);
    }

    [Fact]
    public void The_root_is_never_forgotten_and_numbers_are_distinct_per_path()
    {
        var table = new InodeTable<string>("root");
        table.Forget(InodeTable<string>.RootIno, 100);
        table.TryGet(1, out var root).Should().BeTrue();
        root.Node.Should().Be("root");

        var a = table.NumberOf(1, "a");
        var b = table.NumberOf(1, "b");
        var nested = table.NumberOf(a, "a");
        new[] { 1UL, a, b, nested }.Should().OnlyHaveUniqueItems();
        table.NumberOf(1, "a").Should().Be(a);
        table.TryGet(a, out _).Should().BeFalse("a number handed out by READDIR is no lookup");
        table.LiveCount.Should().Be(1);
    }

    [Fact]
    public void Attributes_are_updated_only_for_known_nodes()
    {
        var table = new InodeTable<string>("root");
        var a = table.Remember(1, "a", "n", File);
        var bigger = FsAttributes.File(99, DateTimeOffset.UnixEpoch);
        table.UpdateAttributes(a.Ino, bigger);
        table.TryGet(a.Ino, out var known).Should().BeTrue();
        known.Attributes.Should().Be(bigger);
        table.UpdateAttributes(12345, bigger);
        table.Forget(12345, 1);
        table.TryGet(12345, out _).Should().BeFalse();
    }
}
