using EsxiImport.Fuse.Protocol;
using EsxiImport.Fuse.Protocol.Requests;
using EsxiImport.Fuse.Protocol.Wire;

namespace EsxiImport.UnitTests.Fuse;

public sealed class RequestParserTests
{
    private static FuseRequest ParseLast(string file)
    {
        var result = RequestParser.Parse(HexFixture.Frames(file)[^1]);
        result.Error.Should().BeNull();
        return result.Request!;
    }

    [Fact]
    public void Lookup_frame_parses_into_its_name_and_header()
    {
        var request = ParseLast("lookup-found.in.hex").Should().BeOfType<LookupRequest>().Subject;
        request.Name.Should().Be("vm");
        request.Header.Should().Be(new RequestHeader(43, 1, 2, 1, 0, 0, 1234));
    }

    [Fact]
    public void Read_frame_parses_handle_offset_and_size()
    {
        var request = ParseLast("read-offset.in.hex").Should().BeOfType<ReadRequest>().Subject;
        (request.FileHandle, request.Offset, request.Size, request.NodeId).Should().Be((1UL, 7UL, 5U, 3UL));
    }

    [Fact]
    public void Init_frame_merges_flags2_into_the_high_half()
    {
        var request = ParseLast("init-7.45.in.hex").Should().BeOfType<InitRequest>().Subject;
        (request.Major, request.Minor, request.MaxReadahead).Should().Be((7U, 45U, 131072U));
        ((ulong)request.Flags).Should().Be(0x5fd_73fffffbUL);
    }

    [Fact]
    public void Old_init_frame_of_16_bytes_parses_without_flags2()
    {
        var request = ParseLast("init-7.31.in.hex").Should().BeOfType<InitRequest>().Subject;
        ((ulong)request.Flags).Should().Be(0x03fffffbUL);
    }

    [Fact]
    public void Batch_forget_lists_every_item()
    {
        var request = ParseLast("batch-forget.in.hex").Should().BeOfType<ForgetRequest>().Subject;
        request.Items.Should().ContainSingle().Which.Should().Match<EsxiImport.Fuse.Protocol.Wire.ForgetOne>(i => i.NodeId == 2 && i.Nlookup == 1);
    }

    [Fact]
    public void Readdirplus_open_release_getattr_and_interrupt_parse_into_their_types()
    {
        ParseLast("readdirplus-root.in.hex").Should().BeOfType<ReaddirRequest>().Which.Plus.Should().BeTrue();
        ParseLast("releasedir.in.hex").Should().BeOfType<ReleaseRequest>().Which.IsDirectory.Should().BeTrue();
        ParseLast("open-write.in.hex").Should().BeOfType<OpenRequest>().Which.WantsWrite.Should().BeTrue();
        ParseLast("getattr-root.in.hex").Should().BeOfType<GetattrRequest>().Which.FileHandle.Should().BeNull();
        ParseLast("interrupt-unknown.in.hex").Should().BeOfType<InterruptRequest>().Which.TargetUnique.Should().Be(100);
        ParseLast("setattr-refused.in.hex").Should().BeOfType<ModifyingRequest>();
        ParseLast("statx-unsupported.in.hex").Should().BeOfType<UnsupportedRequest>();
        ParseLast("unknown-opcode.in.hex").Should().BeOfType<UnsupportedRequest>().Which.Header.Opcode.Should().Be(999);
    }

    [Theory]
    [InlineData("malformed-read-short-body.in.hex", ParseErrorKind.BodyTooShort)]
    [InlineData("malformed-lookup-no-nul.in.hex", ParseErrorKind.NameNotTerminated)]
    [InlineData("malformed-length-mismatch.in.hex", ParseErrorKind.LengthMismatch)]
    [InlineData("malformed-too-short.in.hex", ParseErrorKind.FrameTooShort)]
    public void Malformed_frames_are_parse_errors_not_exceptions(string file, ParseErrorKind kind)
    {
        var result = RequestParser.Parse(HexFixture.Bytes(file));
        result.Request.Should().BeNull();
        result.Error!.Kind.Should().Be(kind);
        result.Error.ToString().Should().NotBeNullOrWhiteSpace();
        (result.Error.Header is null).Should().Be(kind == ParseErrorKind.FrameTooShort);
    }

    [Fact]
    public void Extensions_longer_than_the_body_are_a_parse_error()
    {
        var frame = HexFixture.Frames("statfs.in.hex")[0];
        frame[36] = 1; // total_extlen = 1 unit of 8 bytes, but the body is empty
        RequestParser.Parse(frame).Error!.Kind.Should().Be(ParseErrorKind.ExtensionsTooLong);
    }

    [Fact]
    public void Batch_forget_with_a_count_beyond_the_body_is_a_parse_error()
    {
        var frame = HexFixture.Frames("batch-forget.in.hex")[^1];
        frame[40] = 5;
        RequestParser.Parse(frame).Error!.Kind.Should().Be(ParseErrorKind.BodyTooShort);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(1234);
        for (var i = 0; i < 20_000; i++)
        {
            var frame = new byte[random.Next(0, 200)];
            random.NextBytes(frame);
            if (frame.Length >= 8 && random.Next(2) == 0)
            {
                BitConverter.TryWriteBytes(frame.AsSpan(0, 4), (uint)frame.Length);
                BitConverter.TryWriteBytes(frame.AsSpan(4, 4), (uint)random.Next(0, 60));
            }

            var result = RequestParser.Parse(frame);
            (result.Request is null).Should().NotBe(result.Error is null);
        }
    }
}
