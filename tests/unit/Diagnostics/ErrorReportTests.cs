using EsxiImport.Diagnostics;

namespace EsxiImport.UnitTests.Diagnostics;

public sealed class ErrorReportTests
{
    private static readonly Exception Chain =
        new InvalidOperationException("outer", new IOException("middle", new IOException("root cause")));

    [Fact]
    public void Stderr_gets_only_the_top_message()
    {
        ErrorReport.StderrLine(Chain).Should().Be("Error: outer");
    }

    [Fact]
    public void Syslog_gets_every_message_each_on_its_own_line_after_one_space()
    {
        ErrorReport.SyslogRecord(Chain).Should().Be("Error: outer\n middle\n root cause");
    }

    [Fact]
    public void The_ready_fd_gets_the_whole_chain_on_one_line()
    {
        ErrorReport.ReadyFdLine(Chain).Should().Be("ERROR: outer: middle: root cause\n");
    }

    [Fact]
    public void Consecutive_duplicates_and_empty_messages_are_dropped_and_line_breaks_flattened()
    {
        var e = new Exception("same", new Exception("same", new Exception("  ", new Exception("two\nlines"))));
        ErrorChain.Of(e).Should().Equal("same", "two lines");
    }

    [Fact]
    public void Control_characters_from_names_are_escaped_on_every_channel()
    {
        var e = new Exception("VM \"db\u001b[31m\0x\" failed", new Exception("path \"a\u0007\tb\u007f\u009b\""));
        ErrorReport.StderrLine(e).Should().Be("Error: VM \"db\\u{1b}[31m\\0x\" failed");
        ErrorReport.SyslogRecord(e).Should().Be("Error: VM \"db\\u{1b}[31m\\0x\" failed\n path \"a\\u{7}\\tb\\u{7f}\\u{9b}\"");
        ErrorReport.ReadyFdLine(e).Should().Be("ERROR: VM \"db\\u{1b}[31m\\0x\" failed: path \"a\\u{7}\\tb\\u{7f}\\u{9b}\"\n");
        ControlCharacters.Escape("a\nb\u001b", keepLineFeeds: true).Should().Be("a\nb\\u{1b}");
        ControlCharacters.Escape("plain ünïcode").Should().Be("plain ünïcode");
    }

    [Fact]
    public void An_aggregate_exception_contributes_its_first_inner_error()
    {
        var e = new Exception("top", new AggregateException(new IOException("first"), new IOException("second")));
        ErrorChain.Of(e).Should().Equal("top", "first");
    }

    [Fact]
    public void An_aggregate_exception_without_inner_errors_contributes_its_own_message()
    {
        var e = new Exception("top", new AggregateException("nothing inside"));
        ErrorChain.Of(e).Should().Equal("top", "nothing inside");
    }

    [Fact]
    public void Every_kind_of_line_break_becomes_one_space()
    {
        ErrorChain.OneLine(" a\r\nb\nc\rd ").Should().Be("a b c d");
    }

    [Fact]
    public void A_missing_error_is_refused()
    {
        var act = () => ErrorChain.Of(null!);

        act.Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void An_error_whose_messages_are_all_blank_is_still_reported_on_every_channel()
    {
        // Reporting runs when something already failed: it must print the frame, not throw.
        var blank = new Exception(" ", new Exception("\n"));

        ErrorReport.StderrLine(blank).Should().Be("Error: ");
        ErrorReport.SyslogRecord(blank).Should().Be("Error:");
        ErrorReport.ReadyFdLine(blank).Should().Be("ERROR: \n");
    }
}
