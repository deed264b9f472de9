using System.Net.Sockets;
using System.Security.Authentication;

using EsxiImport.Diagnostics;

namespace EsxiImport.UnitTests.Diagnostics;

/// <summary>
/// The one error type: what Of, OfErrno and Wrap put into an error, and which kind and errno a
/// wrapped foreign exception gives (the exit codes and ready-fd text depend on both).
/// </summary>
public sealed class ToolErrorTests
{
    private const string EncodingId = "vmx.text.unknown-encoding";
    private const string NoArgsId = "esxi-folder-fuse.args.missing-host";

    [Fact]
    public void Of_formats_the_catalogue_text_and_keeps_id_and_kind()
    {
        var e = ToolError.Of(EncodingId, ErrorKind.InvalidInput, ("line", 3), ("encoding", "bogus"));

        e.MessageId.Should().Be(EncodingId);
        e.Kind.Should().Be(ErrorKind.InvalidInput);
        e.Errno.Should().BeNull();
        e.InnerException.Should().BeNull();
        e.Message.Should().Be("line 3: unknown encoding 'bogus'; the file is read as UTF-8");
    }

    [Fact]
    public void OfErrno_is_a_system_error_with_its_errno()
    {
        var e = ToolError.OfErrno(NoArgsId, 13);

        e.Kind.Should().Be(ErrorKind.System);
        e.Errno.Should().Be(13);
        e.Message.Should().Be(Messages.Text(NoArgsId));
    }

    [Fact]
    public void Wrap_of_a_tool_error_keeps_its_kind_and_errno_and_chains_the_messages()
    {
        var inner = ToolError.OfErrno(NoArgsId, 5);

        var outer = ToolError.Wrap(inner, EncodingId, ("line", 1), ("encoding", "x"));

        outer.InnerException.Should().BeSameAs(inner);
        outer.Kind.Should().Be(ErrorKind.System);
        outer.Errno.Should().Be(5);
        outer.Chain().Should().Equal(outer.Message, inner.Message);
    }

    [Fact]
    public void Wrap_with_an_explicit_kind_overrides_the_cause()
    {
        var outer = ToolError.Wrap(ToolError.OfErrno(NoArgsId, 5), NoArgsId, ErrorKind.Timeout);

        outer.Kind.Should().Be(ErrorKind.Timeout);
        outer.Errno.Should().Be(5);
    }

    public static TheoryData<Exception, ErrorKind, int?> Foreign() => new()
    {
        { new TimeoutException("t"), ErrorKind.Timeout, null },
        { new TaskCanceledException("c"), ErrorKind.Timeout, null },
        { new SocketException(111), ErrorKind.Transport, null },
        { new HttpRequestException("h"), ErrorKind.Transport, null },
        { new AuthenticationException("a"), ErrorKind.Certificate, null },
        { new FileNotFoundException("f"), ErrorKind.NotFound, 2 },
        { new DirectoryNotFoundException("d"), ErrorKind.NotFound, 2 },
        { new UnauthorizedAccessException("u"), ErrorKind.System, 13 },
        { new InvalidOperationException("i"), ErrorKind.General, null },
    };

    [Theory]
    [MemberData(nameof(Foreign))]
    public void Wrap_of_a_foreign_exception_maps_kind_and_errno(Exception cause, ErrorKind kind, int? errno)
    {
        var e = ToolError.Wrap(cause, NoArgsId);

        e.Kind.Should().Be(kind);
        e.Errno.Should().Be(errno);
        e.InnerException.Should().BeSameAs(cause);
    }

    [Fact]
    public void Wrap_refuses_a_missing_cause()
    {
        var act = () => ToolError.Wrap(null!, NoArgsId);

        act.Should().Throw<ArgumentNullException>();
    }
}
