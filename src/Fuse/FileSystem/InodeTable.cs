namespace EsxiImport.Fuse.FileSystem;

/// <summary>
/// Inode numbers for the nodes of a file system. A (parent, name) pair keeps its number for
/// the life of the mount, so st_ino is stable; when the kernel has forgotten a node (lookup count
/// back to 0) and finds it again, the number comes back with the next generation, which keeps
/// every nodeid:generation pair unique as the protocol requires. Inode 1 is the root and is never
/// forgotten.
/// </summary>
public sealed class InodeTable<TNode>
    where TNode : class
{
    public const ulong RootIno = 1;

    private readonly object _lock = new();
    private readonly Dictionary<ulong, Inode> _byIno = [];
    private readonly Dictionary<(ulong Parent, string Name), Inode> _byPath = [];
    private ulong _next = RootIno + 1;

    public InodeTable(TNode root, FsAttributes? rootAttributes = null)
    {
        var inode = new Inode(RootIno, RootIno, string.Empty) { Node = root, Attributes = rootAttributes, Lookups = 1 };
        _byIno[RootIno] = inode;
    }

    /// <summary>A node the kernel knows, with what the layer remembers about it.</summary>
    public readonly record struct Known(ulong Ino, ulong Generation, ulong Parent, TNode Node, FsAttributes? Attributes);

    /// <summary>Inodes the kernel currently holds a lookup on (the root included).</summary>
    public int LiveCount
    {
        get
        {
            lock (_lock)
            {
                return _byIno.Values.Count(i => i.Node is not null);
            }
        }
    }

    /// <summary>Records one kernel lookup of <paramref name="name"/> under <paramref name="parent"/>.</summary>
    public Known Remember(ulong parent, string name, TNode node, FsAttributes attributes)
    {
        lock (_lock)
        {
            var inode = PathInode(parent, name);
            if (inode.Node is null)
            {
                inode.Generation++;
            }

            inode.Node = node;
            inode.Attributes = attributes;
            inode.Lookups++;
            return Snapshot(inode);
        }
    }

    /// <summary>The inode number a name has or will have, without counting a lookup (for plain READDIR).</summary>
    public ulong NumberOf(ulong parent, string name)
    {
        lock (_lock)
        {
            return PathInode(parent, name).Ino;
        }
    }

    public bool TryGet(ulong ino, out Known known)
    {
        lock (_lock)
        {
            if (_byIno.TryGetValue(ino, out var inode) && inode.Node is not null)
            {
                known = Snapshot(inode);
                return true;
            }
        }

        known = default;
        return false;
    }

    public void UpdateAttributes(ulong ino, FsAttributes attributes)
    {
        lock (_lock)
        {
            if (_byIno.TryGetValue(ino, out var inode) && inode.Node is not null)
            {
                inode.Attributes = attributes;
            }
        }
    }

    /// <summary>Drops <paramref name="count"/> lookups (FORGET); at zero the node object is let go.</summary>
    public void Forget(ulong ino, ulong count)
    {
        lock (_lock)
        {
            if (ino == RootIno || !_byIno.TryGetValue(ino, out var inode) || inode.Node is null)
            {
                return;
            }

            inode.Lookups = count >= inode.Lookups ? 0 : inode.Lookups - count;
            if (inode.Lookups == 0)
            {
                inode.Node = null;
                inode.Attributes = null;
            }
        }
    }

    private Inode PathInode(ulong parent, string name)
    {
        if (!_byPath.TryGetValue((parent, name), out var inode))
        {
            inode = new Inode(_next++, parent, name);
            _byPath[(parent, name)] = inode;
            _byIno[inode.Ino] = inode;
        }

        return inode;
    }

    private static Known Snapshot(Inode i) => new(i.Ino, i.Generation, i.Parent, i.Node!, i.Attributes);

    private sealed class Inode(ulong ino, ulong parent, string name)
    {
        public ulong Ino { get; } = ino;

        public ulong Parent { get; } = parent;

        public string Name { get; } = name;

        public ulong Generation { get; set; }

        public TNode? Node { get; set; }

        public FsAttributes? Attributes { get; set; }

        public ulong Lookups { get; set; }
    }
}
