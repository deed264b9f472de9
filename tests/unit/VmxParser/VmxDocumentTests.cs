using System.Text;

using EsxiImport.VmxParser.Syntax;

namespace EsxiImport.UnitTests.VmxParser;

public sealed class VmxDocumentTests
{
    [Fact]
    public void Lookup_ignores_key_case_and_returns_the_last_value()
    {
        var doc = VmxDocument.Parse("scsi0:0.fileName = \"a.vmdk\"\nSCSI0:0.FILENAME = \"b.vmdk\"\n");
        doc["scsi0:0.filename"].Should().Be("b.vmdk");
        doc.Occurrences("Scsi0:0.FileName").Select(l => l.Number).Should().Equal(1, 2);
        doc.Keys.Should().Equal("scsi0:0.fileName");
        doc["missing"].Should().BeNull();
        doc.TryGetValue("missing", out var none).Should().BeFalse();
        none.Should().BeEmpty();
        doc.Occurrences("missing").Should().BeEmpty();
    }

    [Fact]
    public void Escapes_decode_quote_bar_newline_and_multibyte_runs()
    {
        var doc = VmxDocument.Parse("a = \"x|22y|7Cz|0Aw\"\nb = \"caf|C3|A9\"\nc = \"|zz|7|\"\nd = \"|7c|0d\"\n");
        doc["a"].Should().Be("x\"y|z\nw");
        doc["b"].Should().Be("café");
        doc["c"].Should().Be("|zz|7|");
        doc["d"].Should().Be("|\r");
    }

    [Fact]
    public void Crlf_and_missing_final_newline_are_kept_losslessly()
    {
        const string text = "# c\r\na = \"1\"\r\n\r\nb = 2";
        var doc = VmxDocument.Parse(text);
        doc.ToText().Should().Be(text);
        doc.Lines.Select(l => l.Kind).Should().Equal(VmxLineKind.Comment, VmxLineKind.Entry, VmxLineKind.Blank, VmxLineKind.Entry);
        doc.Lines[1].LineEnding.Should().Be("\r\n");
        doc.Lines[3].LineEnding.Should().BeEmpty();
        doc["b"].Should().Be("2");
        doc.Entries.Should().HaveCount(2);
    }

    [Fact]
    public void Bare_and_empty_values_and_whitespace_around_the_equals_sign()
    {
        var doc = VmxDocument.Parse("\ta\t=\tbare value  \nb=\"\"\nc =\n  d   =   \"  spaced  \"   # note\n");
        doc["a"].Should().Be("bare value");
        doc["b"].Should().BeEmpty();
        doc["c"].Should().BeEmpty();
        doc["d"].Should().Be("  spaced  ");
        doc.Warnings.Should().BeEmpty();
    }

    [Fact]
    public void Garbage_lines_are_warnings_with_their_line_numbers()
    {
        var doc = VmxDocument.Parse("ok = \"1\"\nnot an entry\nkey with space = \"x\"\nq = \"open\nt = \"v\" tail\n");
        doc.Warnings.Select(w => (w.Line, w.MessageId)).Should().Equal(
            (2, "vmx.syntax.not-key-value"),
            (3, "vmx.syntax.not-key-value"),
            (4, "vmx.syntax.unterminated-quote"),
            (5, "vmx.syntax.trailing-text"));
        doc["q"].Should().Be("open");
        doc["t"].Should().Be("v");
        doc.Warnings[0].Text.Should().Be("line 2: not a key = value line, ignored: not an entry");
        doc.Warnings[0].ToString().Should().Be("line 2: line 2: not a key = value line, ignored: not an entry");
    }

    [Fact]
    public void A_long_garbage_line_is_quoted_shortened()
    {
        var doc = VmxDocument.Parse(new string('x', 200));
        doc.Warnings.Single().Args.Single(a => a.Key == "text").Value.Should().Be(new string('x', 60) + "…");
    }

    [Fact]
    public void Encoding_line_selects_the_decoder_and_utf8_is_the_default()
    {
        var cp1252 = Encoding.Latin1.GetBytes(".encoding = \"windows-1252\"\nname = \"Müller\"\n");
        VmxDocument.Parse(cp1252)["name"].Should().Be("Müller");
        VmxDocument.Parse(cp1252).EncodingName.Should().Be("windows-1252");
        var utf8 = Encoding.UTF8.GetBytes("name = \"Müller\"\n");
        VmxDocument.Parse(utf8)["name"].Should().Be("Müller");
        VmxDocument.Parse(utf8).EncodingName.Should().Be("UTF-8");
        VmxDocument.Parse(Encoding.UTF8.GetBytes(".encoding = \"utf8\"\nname = \"é\"\n"))["name"].Should().Be("é");
    }

    [Fact]
    public void Shift_jis_trail_bytes_that_look_like_bars_do_not_confuse_escapes()
    {
        var sjis = File.ReadAllBytes(Support.RepoPaths.Spec("vmx", "encoding-shift-jis.vmx"));
        var doc = VmxDocument.Parse(sjis);
        doc["annotation"].Should().Be("表示|十 ポート");
        doc.EncodingName.Should().Be("Shift_JIS");
    }

    [Fact]
    public void Unknown_encoding_is_a_warning_and_utf8_is_used()
    {
        var doc = VmxDocument.Parse(Encoding.UTF8.GetBytes("a = \"é\"\n.encoding = \"no-such-charset\"\n"));
        doc["a"].Should().Be("é");
        doc.EncodingName.Should().Be("UTF-8");
        doc.Warnings.Single().Should().Be(EsxiImport.VmxParser.Warnings.ParseWarning.Of(2, "vmx.text.unknown-encoding", ("line", 2), ("encoding", "no-such-charset")));
    }

    [Fact]
    public void A_byte_order_mark_is_skipped_in_bytes_and_text()
    {
        VmxDocument.Parse([0xEF, 0xBB, 0xBF, .. "a = \"1\"\n"u8]).Keys.Should().Equal("a");
        VmxDocument.Parse("\uFEFFa = \"1\"\n").Keys.Should().Equal("a");
    }

    [Fact]
    public void Parsed_text_ignores_an_encoding_entry_but_keeps_it()
    {
        var doc = VmxDocument.Parse(".encoding = \"windows-1252\"\na = \"é\"\n");
        doc["a"].Should().Be("é");
        doc[".encoding"].Should().Be("windows-1252");
        doc.EncodingName.Should().Be("UTF-8");
    }

    [Fact]
    public void Writer_output_round_trips_through_the_parser()
    {
        var entries = new[]
        {
            KeyValuePair.Create("displayName", "a \"b\" | c\nd\u007f"),
            KeyValuePair.Create("scsi0:0.fileName", "Café.vmdk"),
        };
        var doc = VmxDocument.Parse(VmxWriter.RenderBytes(entries, "windows-1252"));
        doc["displayName"].Should().Be(entries[0].Value);
        doc["scsi0:0.fileName"].Should().Be("Café.vmdk");
        doc.Keys.Should().Equal(".encoding", "displayName", "scsi0:0.fileName");
        var render = () => VmxWriter.RenderBytes(entries, "no-such-charset");
        render.Should().Throw<ArgumentException>();
    }
}
