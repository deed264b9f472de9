using EsxiImport.Diagnostics;

namespace EsxiImport.UnitTests.Diagnostics;

/// <summary>Misuse of <see cref="Messages.Format"/> is a programming error with a message that names it.</summary>
public sealed class MessagesFormatMisuseTests
{
    private const string EncodingId = "vmx.text.unknown-encoding";

    [Fact]
    public void An_unknown_id_names_the_id_and_the_catalogue()
    {
        var act = () => Messages.Text("no.such.id");

        act.Should().Throw<KeyNotFoundException>().WithMessage("message id 'no.such.id' is not in spec/messages.yaml");
    }

    [Fact]
    public void An_argument_the_template_does_not_use_is_refused()
    {
        var act = () => Messages.Format(EncodingId, ("line", 1), ("encoding", "x"), ("extra", 2));

        act.Should().Throw<ArgumentException>().WithMessage("message 'vmx.text.unknown-encoding' has no placeholder {extra}*");
    }

    [Fact]
    public void A_placeholder_without_a_value_is_refused()
    {
        var act = () => Messages.Format(EncodingId, ("line", 1));

        act.Should().Throw<ArgumentException>().WithMessage("message 'vmx.text.unknown-encoding' needs a value for {encoding}*");
    }

    [Fact]
    public void The_first_of_two_values_with_the_same_name_is_used()
    {
        Messages.Format(EncodingId, ("line", 1), ("line", 2), ("encoding", "e"))
            .Should().Be("line 1: unknown encoding 'e'; the file is read as UTF-8");
    }
}
