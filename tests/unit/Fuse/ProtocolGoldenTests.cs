using EsxiImport.Fuse.Connection;
using EsxiImport.Fuse.FileSystem;

namespace EsxiImport.UnitTests.Fuse;

/// <summary>
/// Runs every spec/fuse case without a kernel: the request frames go through the session's
/// dispatcher (parser, INIT negotiation, adapter, encoder) one by one, and the bytes written to
/// the fake device must equal the case's .out.hex exactly.
/// </summary>
public sealed class ProtocolGoldenTests
{
    /// <summary>The INIT goldens answer the readahead the tool asks for (16 MiB), not the layer's default (the kernel's offer).</summary>
    private const uint GoldenReadahead = 16 << 20;

    public static TheoryData<string> Cases() => new(HexFixture.CaseNames());

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Replies_match_the_golden_bytes(string name)
    {
        using var device = new FakeFuseDevice();
        var adapter = new ReadOnlyFileSystemAdapter<string, string>(new GoldenFileSystem());
        var session = new FuseServer(device, adapter, new FuseServerOptions { MaxReadahead = GoldenReadahead });
        foreach (var frame in HexFixture.Frames(name + ".in.hex"))
        {
            session.Dispatch(frame);
            (await session.DrainAsync(TimeSpan.FromSeconds(5))).Should().BeTrue();
        }

        var expected = HexFixture.Bytes(name + ".out.hex");
        var actual = device.AllWrittenBytes();
        HexFixture.Rows(actual).Should().Be(HexFixture.Rows(expected), "the replies of case {0} must be byte-exact", name);
    }

    [Fact]
    public void Every_opcode_the_layer_answers_has_a_golden_case()
    {
        var names = HexFixture.CaseNames().ToList();
        foreach (var op in new[] { "init", "lookup", "getattr", "open", "read", "release", "readdir", "readdirplus", "releasedir", "statfs", "forget", "batch-forget", "interrupt", "setattr", "flush", "statx" })
        {
            names.Should().Contain(n => n.StartsWith(op + "-", StringComparison.Ordinal) || n == op, "spec/fuse needs a case for {0}", op);
        }
    }

    [Fact]
    public void Every_case_has_a_reply_file()
    {
        foreach (var name in HexFixture.CaseNames())
        {
            File.Exists(HexFixture.PathOf(name + ".out.hex")).Should().BeTrue(name);
        }
    }
}
