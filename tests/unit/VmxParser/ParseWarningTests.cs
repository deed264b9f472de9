using EsxiImport.VmxParser.Warnings;

namespace EsxiImport.UnitTests.VmxParser;

public sealed class ParseWarningTests
{
    [Fact]
    public void Warnings_compare_by_content()
    {
        var a = ParseWarning.Of(3, "vmx.syntax.duplicate-key", ("line", 3), ("key", "k"), ("first", 1));
        var b = ParseWarning.Of(3, "vmx.syntax.duplicate-key", ("line", 3), ("key", "k"), ("first", 1));
        var c = ParseWarning.Of(3, "vmx.syntax.duplicate-key", ("line", 3), ("key", "k"), ("first", 2));
        a.Should().Be(b);
        a.GetHashCode().Should().Be(b.GetHashCode());
        a.Should().NotBe(c);
        a.Text.Should().Be("line 3: 'k' repeats line 1; the last value is used");
        ParseWarning? none = null;
        b.Equals(none).Should().BeFalse();
    }

    [Fact]
    public void A_warning_without_a_line_renders_only_its_text()
    {
        var w = ParseWarning.Of(null, "vmx.paths.disk-without-file", ("disk", "scsi0:1"));
        w.ToString().Should().Be("disk scsi0:1 is present but has no fileName; it cannot be imported");
        ParseWarning.Of(null, "vmx.paths.disk-without-file", ("disk", null)).Args.Single().Value.Should().BeEmpty();
    }
}
