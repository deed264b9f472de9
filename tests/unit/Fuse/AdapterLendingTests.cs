using System.Buffers;

using EsxiImport.Fuse.Connection;
using EsxiImport.Fuse.FileSystem;
using EsxiImport.Fuse.Protocol;
using EsxiImport.Fuse.Protocol.Requests;
using EsxiImport.Fuse.Protocol.Wire;

using static EsxiImport.UnitTests.Fuse.AdapterTestKit;

namespace EsxiImport.UnitTests.Fuse;

/// <summary>
/// A file system that lends its memory is answered from that memory (the reply gathers its
/// segments), and every loan goes back exactly once: after the write, or at once when the reply
/// cannot be sent as lent.
/// </summary>
public sealed class AdapterLendingTests
{
    private static Task<FuseReply> Read(ReadOnlyFileSystemAdapter<string, string> adapter, ulong fh, ulong offset, uint size) =>
        Ask(adapter, new ReadRequest(H(Opcode.Read, 2), fh, offset, size));

    [Fact]
    public async Task A_lent_read_is_answered_from_the_lent_segments_and_returned_when_the_reply_is_done()
    {
        var fs = new LendingFileSystem(size: 1000, segment: 100);
        var (adapter, fh) = await OpenFile(fs);

        var reply = (DataReply)await Read(adapter, fh, 150, 300);

        reply.Data.IsSingleSegment.Should().BeFalse();
        reply.Data.ToArray().Should().Equal(Enumerable.Range(150, 300).Select(i => (byte)i));
        fs.Outstanding.Should().Be(1, "the loan is held until the reply is written");
        fs.CopyingReads.Should().Be(0);
        reply.Owner!.Dispose();
        reply.Owner.Dispose();
        fs.Outstanding.Should().Be(0);
        fs.Returned.Should().Be(1);
    }

    [Fact]
    public async Task A_loan_that_ends_before_the_reported_size_is_eio_and_goes_back_at_once()
    {
        var fs = new LendingFileSystem(size: 1000, segment: 100) { EndAt = 500 };
        var (adapter, fh) = await OpenFile(fs);

        var reply = await Read(adapter, fh, 400, 300);

        reply.Should().Be(FuseReply.Error(Errno.EIO));
        fs.Outstanding.Should().Be(0);
    }

    [Fact]
    public async Task A_loan_longer_than_the_read_is_a_bug_surfaced_as_an_exception_and_goes_back_at_once()
    {
        var fs = new LendingFileSystem(size: 1000, segment: 100) { LendExtra = 1 };
        var (adapter, fh) = await OpenFile(fs);

        await FluentActions.Awaiting(() => Read(adapter, fh, 0, 300)).Should().ThrowAsync<InvalidOperationException>();

        fs.Outstanding.Should().Be(0);
    }

    [Fact]
    public async Task A_loan_at_the_real_end_of_file_is_a_short_reply()
    {
        var fs = new LendingFileSystem(size: 1000, segment: 100);
        var (adapter, fh) = await OpenFile(fs);

        var reply = (DataReply)await Read(adapter, fh, 900, 300);

        reply.Data.Length.Should().Be(100);
        reply.Owner!.Dispose();
        fs.Outstanding.Should().Be(0);
    }

    /// <summary>Bytes (byte)offset, lent in fixed segments of a backing array.</summary>
    private sealed class LendingFileSystem(long size, int segment) : IReadOnlyFileSystem<string, string>, IReadLendingFileSystem<string, string>
    {
        private readonly byte[] _content = Enumerable.Range(0, (int)size).Select(i => (byte)i).ToArray();
        private int _outstanding;
        private int _returned;

        public long EndAt { get; init; } = long.MaxValue;

        public int LendExtra { get; init; }

        public int Outstanding => Volatile.Read(ref _outstanding);

        public int Returned => Volatile.Read(ref _returned);

        public int CopyingReads { get; private set; }

        public string Root => "/";

        public ValueTask<FsEntry<string>?> LookupAsync(string directory, string name, CancellationToken cancellationToken) =>
            ValueTask.FromResult(name == "f" ? new FsEntry<string>("/f", FsAttributes.File(size, DateTimeOffset.UnixEpoch)) : null);

        public ValueTask<FsAttributes> GetAttributesAsync(string node, CancellationToken cancellationToken) =>
            ValueTask.FromResult(node == "/" ? FsAttributes.Directory(DateTimeOffset.UnixEpoch) : FsAttributes.File(size, DateTimeOffset.UnixEpoch));

        public ValueTask<IReadOnlyList<FsDirectoryEntry<string>>> ReadDirectoryAsync(string directory, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<FsDirectoryEntry<string>>>([]);

        public ValueTask<FsOpenResult<string>> OpenAsync(string file, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new FsOpenResult<string>(file));

        public ValueTask<int> ReadAsync(string file, string handle, long offset, Memory<byte> destination, CancellationToken cancellationToken)
        {
            CopyingReads++;
            throw new InvalidOperationException("a lending file system is never asked to copy");
        }

        public ValueTask<FsReadLoan> LendAsync(string file, string handle, long offset, int length, CancellationToken cancellationToken)
        {
            var end = Math.Min(Math.Min(size, EndAt), offset + length + LendExtra);
            var slices = new List<ReadOnlyMemory<byte>>();
            for (var at = offset; at < end;)
            {
                var next = Math.Min(end, ((at / segment) + 1) * segment);
                slices.Add(_content.AsMemory((int)at, (int)(next - at)));
                at = next;
            }

            Interlocked.Increment(ref _outstanding);
            return ValueTask.FromResult(new FsReadLoan(ByteSequence.Join(slices), new Return(this)));
        }

        public ValueTask ReleaseAsync(string file, string handle) => ValueTask.CompletedTask;

        public ValueTask<FsStatistics> GetStatisticsAsync(CancellationToken cancellationToken) => ValueTask.FromResult(new FsStatistics());

        private sealed class Return(LendingFileSystem owner) : IDisposable
        {
            public void Dispose()
            {
                Interlocked.Decrement(ref owner._outstanding);
                Interlocked.Increment(ref owner._returned);
            }
        }
    }
}
