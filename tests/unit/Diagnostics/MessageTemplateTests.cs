using System.Globalization;

using EsxiImport.Diagnostics;

namespace EsxiImport.UnitTests.Diagnostics;

/// <summary>
/// The template syntax spec/messages.yaml promises in its header: <c>{name}</c> is a placeholder,
/// <c>{{</c> and <c>}}</c> are literal braces. No catalogue entry needs the escapes yet, so they
/// are checked here on entries of a small catalogue of the test's own.
/// </summary>
public sealed class MessageTemplateTests
{
    private static MessageDefinition Entry(string template)
    {
        using var reader = new StringReader($"t.t:\n  text: '{template}'\n  channels: [stderr]\n");
        return Messages.Parse(reader)["t.t"];
    }

    // x is 1 and y is 2 wherever a template names them.
    public static TheoryData<string, string[], string> Filled() => new()
    {
        { "plain text", [], "plain text" },
        { "{x} first", ["x"], "1 first" },
        { "last {x}", ["x"], "last 1" },
        { "{x}{y}", ["x", "y"], "12" },
        { "{y} {x} {y}", ["x", "y"], "2 1 2" },
        { "{{x}}", [], "{x}" },
        { "{{{x}}}", ["x"], "{1}" },
        { "a }} b {{ c", [], "a } b { c" },
        { "}}{y}{{", ["y"], "}2{" },
        { "a } b", [], "a } b" },
        { "ends in }", [], "ends in }" },
    };

    [Theory]
    [MemberData(nameof(Filled))]
    public void Placeholders_are_filled_and_doubled_braces_are_literal(string template, string[] names, string expected)
    {
        var args = names.Select(n => (n, (object?)(n == "x" ? 1 : 2))).ToArray();

        Entry(template).Render(args).Should().Be(expected);
    }

    [Fact]
    public void Placeholders_are_listed_once_in_order_of_first_use_and_escaped_braces_are_not_placeholders()
    {
        Entry("{x} {{lit}} {y} {x} }}{z}").Placeholders.Should().Equal("x", "y", "z");
        Entry("no {{placeholder}} here").Placeholders.Should().BeEmpty();
    }

    [Theory]
    [InlineData("{x")]
    [InlineData("text {")]
    [InlineData("{x} and {y")]
    public void An_unclosed_placeholder_fails_when_the_catalogue_is_read(string template)
    {
        var act = () => Entry(template);

        act.Should().Throw<FormatException>().WithMessage($"unclosed placeholder in message template: {template}");
    }

    [Fact]
    public void Values_are_formatted_with_the_invariant_culture()
    {
        // A culture with a decimal comma, built by hand: the tests may run in invariant-globalization mode.
        var commaCulture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        commaCulture.NumberFormat.NumberDecimalSeparator = ",";
        var saved = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = commaCulture;
        try
        {
            Entry("{x}").Render([("x", 1.5)]).Should().Be("1.5");
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void A_null_value_is_shown_as_nothing()
    {
        Entry("[{x}]").Render([("x", null)]).Should().Be("[]");
    }
}
