using EsxiImport.Fuse.Connection;
using EsxiImport.Fuse.FileSystem;
using EsxiImport.Fuse.Protocol;

namespace EsxiImport.UnitTests.Fuse;

public sealed class WireTraceTests
{
    [Fact]
    public async Task Every_request_and_reply_of_the_goldens_gets_a_trace_line()
    {
        var lines = new List<string>();
        void Log(FuseLogLevel level, string message, Exception? e)
        {
            lock (lines)
            {
                lines.Add(message);
            }
        }

        foreach (var name in HexFixture.CaseNames())
        {
            using var device = new FakeFuseDevice();
            var session = new FuseServer(device, new ReadOnlyFileSystemAdapter<string, string>(new GoldenFileSystem()), new FuseServerOptions { TraceWire = true, Logger = Log });
            foreach (var frame in HexFixture.Frames(name + ".in.hex"))
            {
                session.Dispatch(frame);
                await session.DrainAsync(TimeSpan.FromSeconds(5));
            }
        }

        lines.Should().Contain(l => l.StartsWith("<- 2 LOOKUP node=1 name=\"vm\"", StringComparison.Ordinal));
        lines.Should().Contain(l => l.StartsWith("-> 2 entry node=2 gen=1 valid=3600s ino=2 mode=040555", StringComparison.Ordinal));
        lines.Should().Contain(l => l.StartsWith("-> 4 direntplus 3 entries [\".\" \"..\" \"vm\"]", StringComparison.Ordinal));
        lines.Should().Contain(l => l.StartsWith("-> 8 data 13 bytes", StringComparison.Ordinal));
        lines.Should().Contain(l => l.StartsWith("-> 2 init 7.38 flags=0x44a001", StringComparison.Ordinal));
        lines.Should().Contain("-> 2 error ENOSYS");
        lines.Should().Contain(l => l.StartsWith("<- malformed: READ unique=2: body of 8 bytes", StringComparison.Ordinal));
        lines.Should().Contain(l => l.StartsWith("<- 4 BATCH_FORGET node=0 2-1", StringComparison.Ordinal));
        lines.Should().Contain(l => l.StartsWith("-> 2 statfs blocks=1000", StringComparison.Ordinal));
        lines.Should().Contain(l => l.StartsWith("-> 6 open fh=1 flags=KeepCache", StringComparison.Ordinal));
    }
}
