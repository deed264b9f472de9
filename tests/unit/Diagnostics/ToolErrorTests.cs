using System.Net.Sockets;
using System.Security.Authentication;
using EsxiImport.Diagnostics;

namespace EsxiImport.UnitTests.Diagnostics;

public sealed class ToolErrorTests
{
    // Real catalogue entries, so the texts below are the ones users see.
    private const string Leaf = "esxi.http.not-found";
    private const string Context = "esxi-folder-fuse.connect.failed";

    [Fact]
    public void A_root_error_carries_its_catalogue_text_id_and_kind()
    {
        var e = ToolError.Of(Leaf, ErrorKind.NotFound);
        e.Message.Should().Be("file not found");
        e.MessageId.Should().Be(Leaf);
        e.Kind.Should().Be(ErrorKind.NotFound);
        e.Errno.Should().BeNull();
        e.Chain().Should().Equal("file not found");
    }

    [Fact]
    public void Wrapping_keeps_the_kind_and_errno_of_the_cause_and_adds_context_on_top()
    {
        var root = ToolError.OfErrno(Leaf, 2);
        var wrapped = ToolError.Wrap(root, Context, ("host", "esxi1"));
        wrapped.Kind.Should().Be(ErrorKind.System);
        wrapped.Errno.Should().Be(2);
        wrapped.Chain().Should().Equal("failed to connect to ESXi host esxi1", "file not found");
        wrapped.InnerException.Should().BeSameAs(root);
    }

    [Fact]
    public void An_explicit_kind_overrides_the_cause()
    {
        var wrapped = ToolError.Wrap(ToolError.Of(Leaf, ErrorKind.NotFound), Context, ErrorKind.Authentication, ("host", "h"));
        wrapped.Kind.Should().Be(ErrorKind.Authentication);
    }

    public static TheoryData<Exception, ErrorKind, int?> ForeignCauses => new()
    {
        { new TimeoutException("t"), ErrorKind.Timeout, null },
        { new TaskCanceledException("c"), ErrorKind.Timeout, null },
        { new SocketException(111), ErrorKind.Transport, null },
        { new HttpRequestException("h"), ErrorKind.Transport, null },
        { new AuthenticationException("a"), ErrorKind.Certificate, null },
        { new FileNotFoundException("f"), ErrorKind.NotFound, 2 },
        { new DirectoryNotFoundException("d"), ErrorKind.NotFound, 2 },
        { new UnauthorizedAccessException("u"), ErrorKind.System, 13 },
        { new InvalidOperationException("x"), ErrorKind.General, null },
    };

    [Theory]
    [MemberData(nameof(ForeignCauses))]
    public void A_foreign_cause_gives_its_kind_and_errno(Exception cause, ErrorKind kind, int? errno)
    {
        var wrapped = ToolError.Wrap(cause, Context, ("host", "h"));
        wrapped.Kind.Should().Be(kind);
        wrapped.Errno.Should().Be(errno);
    }

    [Fact]
    public void Wrapping_nothing_is_a_programming_error()
    {
        var act = () => ToolError.Wrap(null!, Context, ("host", "h"));
        act.Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void Format_rejects_an_argument_the_template_does_not_use_and_a_missing_one()
    {
        var extra = () => Messages.Format(Leaf, ("nope", 1));
        extra.Should().Throw<ArgumentException>().WithMessage("*no placeholder {nope}*");
        var missing = () => Messages.Format(Context);
        missing.Should().Throw<ArgumentException>().WithMessage("*needs a value for {host}*");
    }

    [Fact]
    public void Text_is_format_without_arguments()
    {
        Messages.Text(Leaf).Should().Be("file not found");
    }

    [Fact]
    public void Escaped_braces_in_a_template_come_out_as_single_braces()
    {
        using var reader = new StringReader("a.b:\n  text: \"{{x}} {y}\"\n  channels: [stderr]\n");
        var def = Messages.Parse(reader)["a.b"];
        def.Placeholders.Should().Equal("y");
    }
}
