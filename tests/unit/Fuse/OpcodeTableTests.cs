using EsxiImport.Fuse.Connection;
using EsxiImport.Fuse.Protocol;
using EsxiImport.Fuse.Protocol.Requests;
using EsxiImport.Fuse.Protocol.Wire;

namespace EsxiImport.UnitTests.Fuse;

public sealed class OpcodeTableTests
{
    [Fact]
    public void The_table_is_consistent() => OpcodeTable.Problems().Should().BeEmpty();

    [Fact]
    public void A_row_that_lacks_a_part_is_a_problem()
    {
        static IReadOnlyList<string> With(Opcode op, Func<OpcodeInfo, OpcodeInfo> change) =>
            OpcodeTable.Problems([.. OpcodeTable.All.Select(r => r.Opcode == op ? change(r) : r)]);

        With(Opcode.Read, r => r with { Handle = null }).Should().ContainSingle().Which.Should().Contain("READ").And.Contain("no handler");
        With(Opcode.Lookup, r => r with { Parse = null! }).Should().ContainSingle().Which.Should().Contain("LOOKUP").And.Contain("no body parser");
        With(Opcode.Getattr, r => r with { StructSize = null }).Should().ContainSingle().Which.Should().Contain("GETATTR").And.Contain("needs a struct");
        With(Opcode.Open, r => r with { StructSize = 12 }).Should().ContainSingle().Which.Should().Contain("OPEN").And.Contain("12 bytes");
        With(Opcode.Init, r => r with { Handle = OpcodeTable.Find((uint)Opcode.Read)!.Handle }).Should().ContainSingle().Which.Should().Contain("the server answers it");
        With(Opcode.Mkdir, r => r with { BodySize = 4 }).Should().ContainSingle().Which.Should().Contain("MKDIR");
        With(Opcode.Forget, r => r with { Reply = ReplyKind.Empty }).Should().Contain(p => p.Contains("no-reply list", StringComparison.Ordinal));
        OpcodeTable.Problems([.. OpcodeTable.All.Where(r => r.Opcode != Opcode.Statx)]).Should().ContainSingle().Which.Should().Be("Statx has 0 rows");
    }

    [Fact]
    public async Task The_handler_base_answers_through_the_rows()
    {
        var handler = new Bare();
        var header = new RequestHeader(0, (uint)Opcode.Destroy, 2, 0, 0, 0, 0);
        (await handler.HandleAsync(new DestroyRequest(header), CancellationToken.None)).Should().Be(FuseReply.Empty);
        (await handler.HandleAsync(new StatfsRequest(header with { Opcode = (uint)Opcode.Statfs }), CancellationToken.None)).Should().Be(FuseReply.Error(Errno.ENOSYS));
        (await handler.HandleAsync(new UnsupportedRequest(header with { Opcode = 999 }), CancellationToken.None)).Should().Be(FuseReply.Error(Errno.ENOSYS));
    }

    [Fact]
    public void Exactly_the_four_no_reply_opcodes_have_no_reply() =>
        OpcodeTable.All.Where(r => !r.HasReply).Select(r => r.Opcode).Should()
            .BeEquivalentTo([Opcode.Forget, Opcode.BatchForget, Opcode.Interrupt, Opcode.NotifyReply]);

    private sealed class Bare : FuseHandlerBase;

    [Fact]
    public void Unknown_opcodes_print_as_numbers()
    {
        OpcodeTable.Find(999).Should().BeNull();
        OpcodeTable.NameOf(999).Should().Be("OPCODE_999");
        OpcodeTable.NameOf(44).Should().Be("READDIRPLUS");
    }

    [Fact]
    public void Every_modifying_opcode_is_refused_with_erofs() =>
        OpcodeTable.All.Where(r => r.Reply == ReplyKind.ReadOnlyError).Select(r => r.Opcode).Should()
            .Contain([Opcode.Setattr, Opcode.Write, Opcode.Create, Opcode.Mkdir, Opcode.Unlink, Opcode.Rename, Opcode.Rename2, Opcode.Setxattr]);

    [Fact]
    public void Init_reply_size_follows_the_minor()
    {
        ProtocolVersion.InitOutSize(4).Should().Be(8);
        ProtocolVersion.InitOutSize(22).Should().Be(24);
        ProtocolVersion.InitOutSize(23).Should().Be(64);
    }

    [Fact]
    public void Errno_names_are_the_c_names()
    {
        Errno.Name(Errno.ENOENT).Should().Be("ENOENT");
        Errno.Name(Errno.EPROTO).Should().Be("EPROTO");
        Errno.Name(12345).Should().Be("errno 12345");
    }

    [Fact]
    public void An_errno_outside_the_kernel_range_is_sent_as_eio()
    {
        var frame = ReplyEncoder.Encode(2, FuseReply.Error(5000)).ToArray();
        BitConverter.ToInt32(frame, 4).Should().Be(-Errno.EIO);
        ReplyEncoder.Encode(2, FuseReply.Error(-3)).ToArray().Should().Equal(ReplyEncoder.Encode(2, FuseReply.Error(Errno.EIO)).ToArray());
    }
}
