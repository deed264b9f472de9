using EsxiImport.Fuse.Protocol;
using EsxiImport.Fuse.Protocol.Wire;

namespace EsxiImport.UnitTests.Fuse;

public sealed class OpcodeTableTests
{
    [Fact]
    public void The_table_is_consistent() => OpcodeTable.Problems().Should().BeEmpty();

    [Fact]
    public void Exactly_the_four_no_reply_opcodes_have_no_reply() =>
        OpcodeTable.All.Where(r => !r.HasReply).Select(r => r.Opcode).Should()
            .BeEquivalentTo([Opcode.Forget, Opcode.BatchForget, Opcode.Interrupt, Opcode.NotifyReply]);

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
