using EsxiImport.Diagnostics;

using YamlDotNet.Core;

namespace EsxiImport.UnitTests.Diagnostics;

/// <summary>
/// Reading the catalogue: what a well-formed entry gives, and that a broken catalogue fails when
/// it is read, with a message that names the entry, instead of when its text is first shown.
/// </summary>
public sealed class MessageCatalogueParseTests
{
    private static IReadOnlyDictionary<string, MessageDefinition> Parse(string yaml)
    {
        using var reader = new StringReader(yaml);
        return Messages.Parse(reader);
    }

    [Fact]
    public void An_entry_gives_its_id_text_and_channels_in_order()
    {
        var all = Parse("a.b:\n  text: one {x}\n  channels: [syslog, stderr]\nc.d:\n  text: two\n");

        all.Keys.Should().BeEquivalentTo("a.b", "c.d");
        all["a.b"].Should().BeEquivalentTo(new { Id = "a.b", Template = "one {x}", Channels = new[] { "syslog", "stderr" } });
        all["c.d"].Channels.Should().BeEmpty("an entry without channels is read; the catalogue test then refuses it");
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    public void An_empty_catalogue_has_no_entries(string yaml)
    {
        Parse(yaml).Should().BeEmpty();
    }

    [Fact]
    public void A_duplicate_id_is_refused()
    {
        var act = () => Parse("a.b:\n  text: one\na.b:\n  text: two\n");

        act.Should().Throw<YamlException>().WithMessage("*Duplicate key a.b*");
    }

    [Theory]
    [InlineData("a.b:\n  channels: [stderr]\n")]
    [InlineData("a.b:\n  text:\n  channels: [stderr]\n")]
    [InlineData("a.b:\n  text: ''\n")]
    public void An_entry_without_text_is_refused(string yaml)
    {
        var act = () => Parse(yaml);

        act.Should().Throw<FormatException>().WithMessage("message 'a.b' has no text");
    }

    [Fact]
    public void An_entry_without_an_id_is_refused()
    {
        var act = () => Parse("'':\n  text: orphan\n");

        act.Should().Throw<FormatException>().WithMessage("empty message id");
    }

    [Fact]
    public void The_embedded_catalogue_is_found_under_its_logical_name()
    {
        var loaded = Messages.LoadEmbedded(typeof(Messages).Assembly, Messages.CatalogueResource);

        loaded.Keys.Should().BeEquivalentTo(Messages.All.Keys).And.NotBeEmpty();
    }

    [Fact]
    public void A_catalogue_that_is_not_embedded_is_reported_by_name()
    {
        var act = () => Messages.LoadEmbedded(typeof(Messages).Assembly, "missing.yaml");

        act.Should().Throw<InvalidOperationException>()
            .WithMessage("the message catalogue 'missing.yaml' is not embedded in EsxiImport.Diagnostics");
    }
}
