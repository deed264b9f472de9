using EsxiImport.Diagnostics;
using EsxiImport.Fuse.Connection;
using EsxiImport.Fuse.Protocol;
using EsxiImport.Fuse.Protocol.Requests;
using EsxiImport.Fuse.Protocol.Wire;

namespace EsxiImport.Fuse.FileSystem;

/// <summary>
/// The single adapter between the FUSE server and an <see cref="IReadOnlyFileSystem{TNode, THandle}"/>:
/// requests in, file-system calls out, replies back. It owns the inode table, the handle tables
/// and the cache timeouts; the file system never sees a node id or a byte of the protocol.
/// </summary>
public sealed partial class ReadOnlyFileSystemAdapter<TNode, THandle> : FuseHandlerBase
    where TNode : class
{
    private const int NameMax = 255;

    private readonly IReadOnlyFileSystem<TNode, THandle> _fs;
    private readonly FileSystemOptions _options;
    private readonly InodeTable<TNode> _inodes;
    private readonly HandleTable<OpenFile> _files = new();
    private readonly HandleTable<OpenDirectory> _directories = new();

    public ReadOnlyFileSystemAdapter(IReadOnlyFileSystem<TNode, THandle> fileSystem, FileSystemOptions? options = null)
    {
        _fs = fileSystem;
        _options = options ?? new FileSystemOptions();
        _inodes = new InodeTable<TNode>(fileSystem.Root);
    }

    /// <summary>The inode table (tests inspect lookup counts through it).</summary>
    public InodeTable<TNode> Inodes => _inodes;

    public int OpenFileCount => _files.Count;

    public int OpenDirectoryCount => _directories.Count;

    public override void Forget(IReadOnlyList<ForgetOne> items)
    {
        foreach (var item in items)
        {
            _inodes.Forget(item.NodeId, item.Nlookup);
        }
    }

    public override ValueTask<FuseReply> LookupAsync(LookupRequest request, CancellationToken cancellationToken) =>
        OnNode(request, FsNodeKind.RegularFile, Errno.ENOTDIR, async parent =>
        {
            if (request.NameBytes.Length > NameMax)
            {
                return FuseReply.Error(Errno.ENAMETOOLONG);
            }

            var found = await _fs.LookupAsync(parent.Node, request.Name, cancellationToken).ConfigureAwait(false);
            if (found is null)
            {
                return _options.NegativeEntryTimeout > TimeSpan.Zero ? new EntryReply(WireAttributes.NegativeEntry(_options)) : FuseReply.Error(Errno.ENOENT);
            }

            var known = _inodes.Remember(parent.Ino, request.Name, found.Node, found.Attributes);
            return new EntryReply(WireAttributes.Entry(known.Ino, known.Generation, found.Attributes, _options));
        });

    public override ValueTask<FuseReply> GetattrAsync(GetattrRequest request, CancellationToken cancellationToken) =>
        OnNode(request, null, 0, async known =>
        {
            var attributes = await _fs.GetAttributesAsync(known.Node, cancellationToken).ConfigureAwait(false);
            _inodes.UpdateAttributes(known.Ino, attributes);
            return new AttrReply(WireAttributes.Attr(known.Ino, attributes, _options));
        });

    public override ValueTask<FuseReply> StatfsAsync(StatfsRequest request, CancellationToken cancellationToken) =>
        Guarded(request, async () =>
        {
            var s = await _fs.GetStatisticsAsync(cancellationToken).ConfigureAwait(false);
            return new StatfsReply(new Kstatfs
            {
                Blocks = s.Blocks,
                Bfree = s.BlocksFree,
                Bavail = s.BlocksAvailable,
                Files = s.Files,
                Ffree = s.FilesFree,
                Bsize = s.BlockSize,
                Namelen = s.NameMax,
                Frsize = s.BlockSize,
            });
        });

    /// <summary>
    /// Runs <paramref name="body"/> on the request's node: ENOENT when the node is not known,
    /// <paramref name="refusedErrno"/> when it is of <paramref name="refusedKind"/>.
    /// </summary>
    private ValueTask<FuseReply> OnNode(FuseRequest request, FsNodeKind? refusedKind, int refusedErrno, Func<InodeTable<TNode>.Known, ValueTask<FuseReply>> body) =>
        Guarded(request, () =>
            !_inodes.TryGet(request.NodeId, out var known) ? ValueTask.FromResult(FuseReply.Error(Errno.ENOENT))
            : refusedKind is { } kind && known.Attributes?.Kind == kind ? ValueTask.FromResult(FuseReply.Error(refusedErrno))
            : body(known));

    /// <summary>Turns a <see cref="ToolError"/> of the file system into its errno; EIO ones are logged.</summary>
    private async ValueTask<FuseReply> Guarded(FuseRequest request, Func<ValueTask<FuseReply>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (ToolError e)
        {
            var errno = ErrnoMapping.ToErrno(e);
            if (errno == Errno.EIO)
            {
                _options.Logger?.Invoke(FuseLogLevel.Error, $"{OpcodeTable.NameOf(request.Header.Opcode)} on node {request.NodeId} failed", e);
            }

            return FuseReply.Error(errno);
        }
    }

    private sealed record OpenFile(ulong Ino, TNode Node, THandle Handle);

    private sealed record DirectoryRow(byte[] Name, FsNodeKind Kind, ulong? FixedIno, FsEntry<TNode>? Entry);

    private sealed record OpenDirectory(ulong Ino, IReadOnlyList<DirectoryRow> Rows);
}
