using EsxiImport.Diagnostics;

namespace EsxiImport.UnitTests.Diagnostics;

public sealed class MessagesFormatTests
{
    private static MessageDefinition Parse(string yaml, string id)
    {
        using var reader = new StringReader(yaml);
        return Messages.Parse(reader)[id];
    }

    [Fact]
    public void Placeholders_are_listed_in_order_of_first_use_and_escaped_braces_are_not_placeholders()
    {
        var def = Parse("a.b:\n  text: \"{x} {{lit}} {y} {x}\"\n  channels: [stderr]\n", "a.b");
        def.Placeholders.Should().Equal("x", "y");
    }

    [Fact]
    public void Parse_rejects_a_duplicate_id_and_a_missing_text()
    {
        var twice = () => Parse("a.b:\n  text: one\n  channels: [stderr]\na.b:\n  text: two\n  channels: [stderr]\n", "a.b");
        twice.Should().Throw<Exception>();
        var noText = () => Parse("a.b:\n  channels: [stderr]\n", "a.b");
        noText.Should().Throw<FormatException>().WithMessage("*no text*");
    }

    [Fact]
    public void An_unclosed_placeholder_is_a_format_error()
    {
        var act = () => Parse("a.b:\n  text: \"{x\"\n  channels: [stderr]\n", "a.b");
        act.Should().Throw<FormatException>().WithMessage("*unclosed*");
    }

    [Fact]
    public void Format_of_an_unknown_id_throws()
    {
        var act = () => Messages.Format("no.such-id");
        act.Should().Throw<KeyNotFoundException>();
    }
}
