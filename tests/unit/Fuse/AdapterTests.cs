using System.Buffers;
using System.Runtime.InteropServices;

using EsxiImport.Diagnostics;
using EsxiImport.Fuse.Connection;
using EsxiImport.Fuse.FileSystem;
using EsxiImport.Fuse.Protocol;
using EsxiImport.Fuse.Protocol.Requests;
using EsxiImport.Fuse.Protocol.Wire;

using static EsxiImport.UnitTests.Fuse.AdapterTestKit;

namespace EsxiImport.UnitTests.Fuse;

/// <summary>The adapter's rules that the goldens do not show: read looping, EIO before EOF, error mapping, caching modes.</summary>
public sealed class AdapterTests
{
    [Fact]
    public async Task Short_reads_are_repeated_until_the_requested_size_is_filled()
    {
        var fs = new ScriptedFileSystem(size: 10_000) { MaxPerRead = 333 };
        var (adapter, fh) = await OpenFile(fs);
        var reply = (DataReply)await Ask(adapter, new ReadRequest(H(Opcode.Read, 2), fh, 100, 4096));
        reply.Data.Length.Should().Be(4096);
        reply.Data.ToArray().Should().Equal(Enumerable.Range(100, 4096).Select(i => (byte)i));
        fs.Calls.Should().Be((4096 / 333) + 1);
        reply.Owner!.Dispose();
    }

    [Fact]
    public async Task Ending_before_the_reported_size_is_eio_not_a_short_read()
    {
        var fs = new ScriptedFileSystem(size: 10_000) { EndAt = 5000 };
        var logged = new List<string>();
        var (adapter, fh) = await OpenFile(fs, new FileSystemOptions { Logger = (_, m, _) => logged.Add(m) });
        var reply = await Ask(adapter, new ReadRequest(H(Opcode.Read, 2), fh, 4096, 4096));
        reply.Should().Be(FuseReply.Error(Errno.EIO));
        logged.Should().ContainSingle().Which.Should().Contain("ended at 5000, before the size 10000");

        var beyond = await Ask(adapter, new ReadRequest(H(Opcode.Read, 2), fh, 9000, 4096));
        beyond.Should().Be(FuseReply.Error(Errno.EIO), "an empty answer before the reported size would also shrink the file");
    }

    [Fact]
    public async Task Reads_at_the_real_end_of_file_are_short()
    {
        var (adapter, fh) = await OpenFile(new ScriptedFileSystem(size: 5000));
        var reply = (DataReply)await Ask(adapter, new ReadRequest(H(Opcode.Read, 2), fh, 4096, 4096));
        reply.Data.Length.Should().Be(904);
    }

    [Fact]
    public async Task A_file_system_returning_more_than_asked_is_a_bug_surfaced_as_an_exception()
    {
        var (adapter, fh) = await OpenFile(new ScriptedFileSystem(size: 5000) { Overreport = true });
        await FluentActions.Awaiting(() => Ask(adapter, new ReadRequest(H(Opcode.Read, 2), fh, 0, 100))).Should().ThrowAsync<InvalidOperationException>();
    }

    [Theory]
    [InlineData(ErrorKind.NotFound, Errno.ENOENT)]
    [InlineData(ErrorKind.IsDirectory, Errno.EISDIR)]
    [InlineData(ErrorKind.Authentication, Errno.EACCES)]
    [InlineData(ErrorKind.InvalidInput, Errno.EINVAL)]
    [InlineData(ErrorKind.Timeout, Errno.EIO)]
    [InlineData(ErrorKind.RateLimited, Errno.EIO)]
    public async Task Tool_errors_map_to_errno_by_kind(ErrorKind kind, int errno)
    {
        var fs = new ScriptedFileSystem(size: 10) { Failure = ToolError.Of("fuse.mount.failed", kind, ("mountpoint", "m"), ("reason", "r")) };
        var (adapter, fh) = await OpenFile(fs);
        (await Ask(adapter, new ReadRequest(H(Opcode.Read, 2), fh, 0, 10))).Should().Be(FuseReply.Error(errno));
    }

    [Fact]
    public void A_tool_error_with_an_errno_keeps_it() =>
        ErrnoMapping.ToErrno(ToolError.OfErrno("fuse.mount.failed", Errno.EACCES, ("mountpoint", "m"), ("reason", "r"))).Should().Be(Errno.EACCES);

    [Theory]
    [InlineData(FsCacheMode.KeepCache, OpenReplyFlags.KeepCache)]
    [InlineData(FsCacheMode.DirectIo, OpenReplyFlags.DirectIo)]
    [InlineData(FsCacheMode.PageCache, OpenReplyFlags.None)]
    public async Task The_cache_mode_picks_the_open_flags(FsCacheMode mode, OpenReplyFlags flags)
    {
        var adapter = new ReadOnlyFileSystemAdapter<string, string>(new ScriptedFileSystem(10) { Mode = mode });
        await Ask(adapter, new LookupRequest(H(Opcode.Lookup, 1), "f"u8.ToArray()));
        var open = (OpenReply)await Ask(adapter, new OpenRequest(H(Opcode.Open, 2), false, 0));
        ((OpenReplyFlags)open.Open.OpenFlags).Should().Be(flags);
    }

    [Fact]
    public async Task Wrong_node_kinds_and_unknown_nodes_get_their_errnos()
    {
        var adapter = new ReadOnlyFileSystemAdapter<string, string>(new ScriptedFileSystem(10));
        await Ask(adapter, new LookupRequest(H(Opcode.Lookup, 1), "f"u8.ToArray()));
        (await Ask(adapter, new OpenRequest(H(Opcode.Opendir, 2), true, 0))).Should().Be(FuseReply.Error(Errno.ENOTDIR));
        (await Ask(adapter, new LookupRequest(H(Opcode.Lookup, 1), new byte[256]))).Should().Be(FuseReply.Error(Errno.ENAMETOOLONG));
        (await Ask(adapter, new LookupRequest(H(Opcode.Lookup, 99), "f"u8.ToArray()))).Should().Be(FuseReply.Error(Errno.ENOENT));
        (await Ask(adapter, new GetattrRequest(H(Opcode.Getattr, 99), null))).Should().Be(FuseReply.Error(Errno.ENOENT));
        (await Ask(adapter, new OpenRequest(H(Opcode.Open, 99), false, 0))).Should().Be(FuseReply.Error(Errno.ENOENT));
        (await Ask(adapter, new OpenRequest(H(Opcode.Opendir, 99), true, 0))).Should().Be(FuseReply.Error(Errno.ENOENT));
        (await Ask(adapter, new ReaddirRequest(H(Opcode.Readdir, 1), false, 77, 0, 4096))).Should().Be(FuseReply.Error(Errno.EBADF));
        (await Ask(adapter, new ReleaseRequest(H(Opcode.Release, 2), false, 77, 0))).Should().Be(FuseReply.Empty);
    }

    [Fact]
    public async Task A_negative_entry_timeout_answers_a_missing_name_with_node_zero()
    {
        var adapter = new ReadOnlyFileSystemAdapter<string, string>(new ScriptedFileSystem(10), new FileSystemOptions { NegativeEntryTimeout = TimeSpan.FromSeconds(2.5) });
        var reply = (EntryReply)await Ask(adapter, new LookupRequest(H(Opcode.Lookup, 1), "missing"u8.ToArray()));
        reply.Entry.NodeId.Should().Be(0);
        (reply.Entry.EntryValid, reply.Entry.EntryValidNsec).Should().Be((2UL, 500_000_000U));
    }

    [Fact]
    public async Task Readdirplus_counts_a_lookup_only_for_entries_that_fit()
    {
        var adapter = new ReadOnlyFileSystemAdapter<string, string>(new ScriptedFileSystem(10));
        var dir = (OpenReply)await Ask(adapter, new OpenRequest(H(Opcode.Opendir, 1), true, 0));
        var small = (DirectoryReply)await Ask(adapter, new ReaddirRequest(H(Opcode.Readdirplus, 1), true, dir.Open.Fh, 0, 2 * 160));
        small.Count.Should().Be(2, "only . and .. fit");
        adapter.Inodes.LiveCount.Should().Be(1);
        var rest = (DirectoryReply)await Ask(adapter, new ReaddirRequest(H(Opcode.Readdirplus, 1), true, dir.Open.Fh, 2, 4096));
        rest.Count.Should().Be(1);
        adapter.Inodes.LiveCount.Should().Be(2);
        adapter.OpenDirectoryCount.Should().Be(1);
        await Ask(adapter, new ReleaseRequest(H(Opcode.Releasedir, 1), true, dir.Open.Fh, 0));
        adapter.OpenDirectoryCount.Should().Be(0);
    }

    [Fact]
    public void Attributes_become_the_wire_struct_with_type_bits_and_timestamps()
    {
        var t = DateTimeOffset.FromUnixTimeMilliseconds(1714564800_250);
        var wire = WireAttributes.ToWire(9, FsAttributes.File(1000, t) with { Uid = 5, Gid = 6, LinkCount = 3 });
        (wire.Ino, wire.Size, wire.Blocks, wire.Mode, wire.Nlink, wire.Uid, wire.Gid).Should().Be((9UL, 1000UL, 2UL, 0x8124U, 3U, 5U, 6U));
        (wire.Mtime, wire.MtimeNsec, wire.Atime, wire.Ctime).Should().Be((1714564800UL, 250_000_000U, 1714564800UL, 1714564800UL));
        WireAttributes.Split(TimeSpan.FromSeconds(-1)).Should().Be((0UL, 0U));
        Marshal.SizeOf<FuseAttr>().Should().Be(FuseAttr.WireSize);
    }

    /// <summary>A one-file file system ("/f", bytes i mod 256) with knobs for misbehaviour.</summary>
    private sealed class ScriptedFileSystem(long size) : IReadOnlyFileSystem<string, string>
    {
        public int MaxPerRead { get; init; } = int.MaxValue;

        public long EndAt { get; init; } = long.MaxValue;

        public bool Overreport { get; init; }

        public Exception? Failure { get; init; }

        public FsCacheMode Mode { get; init; } = FsCacheMode.KeepCache;

        public int Calls { get; private set; }

        public string Root => "/";

        public ValueTask<FsEntry<string>?> LookupAsync(string directory, string name, CancellationToken cancellationToken) =>
            ValueTask.FromResult(name == "f" ? new FsEntry<string>("/f", FsAttributes.File(size, DateTimeOffset.UnixEpoch)) : null);

        public ValueTask<FsAttributes> GetAttributesAsync(string node, CancellationToken cancellationToken) =>
            ValueTask.FromResult(node == "/" ? FsAttributes.Directory(DateTimeOffset.UnixEpoch) : FsAttributes.File(size, DateTimeOffset.UnixEpoch));

        public ValueTask<IReadOnlyList<FsDirectoryEntry<string>>> ReadDirectoryAsync(string directory, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<FsDirectoryEntry<string>>>([new("f", FsNodeKind.RegularFile, new FsEntry<string>("/f", FsAttributes.File(size, DateTimeOffset.UnixEpoch)))]);

        public ValueTask<FsOpenResult<string>> OpenAsync(string file, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new FsOpenResult<string>(file, Mode));

        public ValueTask<int> ReadAsync(string file, string handle, long offset, Memory<byte> destination, CancellationToken cancellationToken)
        {
            Calls++;
            if (Failure is not null)
            {
                throw Failure;
            }

            if (Overreport)
            {
                return ValueTask.FromResult(destination.Length + 1);
            }

            var end = Math.Min(size, EndAt);
            if (offset >= end)
            {
                return ValueTask.FromResult(0);
            }

            var n = (int)Math.Min(Math.Min(destination.Length, end - offset), MaxPerRead);
            for (var i = 0; i < n; i++)
            {
                destination.Span[i] = (byte)(offset + i);
            }

            return ValueTask.FromResult(n);
        }

        public ValueTask ReleaseAsync(string file, string handle) => ValueTask.CompletedTask;

        public ValueTask<FsStatistics> GetStatisticsAsync(CancellationToken cancellationToken) => ValueTask.FromResult(new FsStatistics());
    }
}
