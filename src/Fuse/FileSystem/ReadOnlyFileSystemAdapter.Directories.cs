using System.Text;

using EsxiImport.Fuse.Protocol;
using EsxiImport.Fuse.Protocol.Requests;
using EsxiImport.Fuse.Protocol.Wire;

namespace EsxiImport.Fuse.FileSystem;

public sealed partial class ReadOnlyFileSystemAdapter<TNode, THandle>
{
    private static readonly byte[] Dot = "."u8.ToArray();
    private static readonly byte[] DotDot = ".."u8.ToArray();

    /// <summary>Lists the directory once; READDIR pages through that snapshot by index, so offsets stay valid.</summary>
    public override ValueTask<FuseReply> OpendirAsync(OpenRequest request, CancellationToken cancellationToken) =>
        OnNode(request, FsNodeKind.RegularFile, Errno.ENOTDIR, async known =>
        {
            var entries = await _fs.ReadDirectoryAsync(known.Node, cancellationToken).ConfigureAwait(false);
            var rows = new List<DirectoryRow>(entries.Count + 2)
            {
                new(Dot, FsNodeKind.Directory, known.Ino, null),
                new(DotDot, FsNodeKind.Directory, known.Parent, null),
            };
            rows.AddRange(entries.Select(e => new DirectoryRow(Encoding.UTF8.GetBytes(e.Name), e.Kind, null, e.Entry)));
            var fh = _directories.Add(new OpenDirectory(known.Ino, rows));
            return new OpenReply(new OpenOut { Fh = fh });
        });

    /// <summary>
    /// Packs entries from the cookie on. In READDIRPLUS every entry sent with a node counts as
    /// one kernel lookup, so it is entered in the inode table only once it fits the reply;
    /// "." and ".." go out without a node (id 0), which costs no lookup.
    /// </summary>
    public override ValueTask<FuseReply> ReaddirAsync(ReaddirRequest request, CancellationToken cancellationToken)
    {
        var directory = _directories.Get(request.FileHandle);
        if (directory is null)
        {
            return ValueTask.FromResult(FuseReply.Error(Errno.EBADF));
        }

        var writer = new DirentWriter((int)Math.Min(request.Size, int.MaxValue), request.Plus);
        var start = request.Offset > (ulong)directory.Rows.Count ? directory.Rows.Count : (int)request.Offset;
        for (var i = start; i < directory.Rows.Count; i++)
        {
            var row = directory.Rows[i];
            var type = WireAttributes.DirentType(row.Kind);
            var next = (ulong)(i + 1);
            var name = Encoding.UTF8.GetString(row.Name);
            if (request.Plus && row.FixedIno is null && row.Entry is { } entry)
            {
                var known = _inodes.Remember(directory.Ino, name, entry.Node, entry.Attributes);
                if (!writer.TryAdd(row.Name, known.Ino, next, type, WireAttributes.Entry(known.Ino, known.Generation, entry.Attributes, _options)))
                {
                    _inodes.Forget(known.Ino, 1);
                    break;
                }

                continue;
            }

            var ino = row.FixedIno ?? _inodes.NumberOf(directory.Ino, name);
            if (!writer.TryAdd(row.Name, ino, next, type, default(EntryOut)))
            {
                break;
            }
        }

        return ValueTask.FromResult<FuseReply>(writer.ToReply());
    }

    public override ValueTask<FuseReply> ReleasedirAsync(ReleaseRequest request, CancellationToken cancellationToken)
    {
        _directories.Remove(request.FileHandle);
        return ValueTask.FromResult(FuseReply.Empty);
    }
}
