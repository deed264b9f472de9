using System.Collections.Concurrent;

using EsxiImport.EsxiFuse.Esxi;

namespace EsxiImport.EsxiFuse.Datastores;

/// <summary>Which level of the tree a directory is: the mount root, a datacenter, a datastore, or a folder in one.</summary>
internal enum DirectoryLevel
{
    Root,
    Datacenter,
    Datastore,
    Folder,
}

/// <summary>A node of the mounted tree: <c>&lt;datacenter&gt;/&lt;datastore&gt;/&lt;path&gt;</c>.</summary>
internal abstract class TreeNode(string name)
{
    public string Name { get; } = name;
}

/// <summary>
/// A directory. Children come from the manifest (they exist from the start) or from a lookup
/// the host confirmed. A name the host answered 404 for is remembered as missing for a few
/// seconds, so a storm of lookups costs the host one request per name per period; nothing else
/// is remembered, so a transient failure is never taken for "no such file".
/// </summary>
internal sealed class DirectoryNode(string name, DirectoryLevel level, string datacenter, string datastore, string path)
    : TreeNode(name)
{
    /// <summary>Missing names remembered per directory before expired ones are swept (and, if that is not enough, all forgotten).</summary>
    private const int MaxMissing = 4096;

    private readonly ConcurrentDictionary<string, TreeNode> _children = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _missingUntil = new(StringComparer.Ordinal);

    public DirectoryLevel Level { get; } = level;

    public string Datacenter { get; } = datacenter;

    public string Datastore { get; } = datastore;

    /// <summary>Path below the datastore root, without leading or trailing '/'; empty above and at the datastore.</summary>
    public string Path { get; } = path;

    public IReadOnlyCollection<TreeNode> Children => (IReadOnlyCollection<TreeNode>)_children.Values;

    public TreeNode? Child(string name) => _children.GetValueOrDefault(name);

    /// <summary>Adds <paramref name="node"/> unless a child of that name exists; returns the child that won.</summary>
    public TreeNode Add(TreeNode node) => _children.GetOrAdd(node.Name, node);

    /// <summary>Replaces a child whose kind the host contradicted (a file that turned out to be a folder).</summary>
    public TreeNode Replace(TreeNode old, TreeNode replacement) =>
        _children.TryUpdate(old.Name, replacement, old) ? replacement : _children[old.Name];

    /// <summary>Whether the host said 404 for <paramref name="name"/> less than the remembered period ago (<paramref name="now"/> in <see cref="Environment.TickCount64"/> milliseconds).</summary>
    public bool IsKnownMissing(string name, long now) =>
        _missingUntil.TryGetValue(name, out var until) && (now < until || !_missingUntil.TryRemove(new KeyValuePair<string, long>(name, until)));

    /// <summary>Remembers that the host said 404 for <paramref name="name"/>, until <paramref name="until"/>.</summary>
    public void RememberMissing(string name, long now, long until)
    {
        if (_missingUntil.Count >= MaxMissing)
        {
            foreach (var (key, expiry) in _missingUntil)
            {
                if (expiry <= now)
                {
                    _missingUntil.TryRemove(new KeyValuePair<string, long>(key, expiry));
                }
            }

            if (_missingUntil.Count >= MaxMissing)
            {
                _missingUntil.Clear();
            }
        }

        _missingUntil[name] = until;
    }

    /// <summary>The remote path of the child <paramref name="name"/> of this datastore or folder.</summary>
    public RemotePath ChildPath(string name) =>
        new(Datacenter, Datastore, Path.Length == 0 ? name : Path + "/" + name);

    /// <summary>The remote path of this datastore or folder itself.</summary>
    public RemotePath RemotePath => new(Datacenter, Datastore, Path);
}

/// <summary>A file on a datastore. Its size is learned from the host (HEAD) the first time it is needed.</summary>
internal sealed class FileNode(string name, RemotePath remote) : TreeNode(name)
{
    private long _size = -1;

    public RemotePath Remote { get; } = remote;

    /// <summary>The size in bytes, or null while the host has not been asked.</summary>
    public long? Size
    {
        get
        {
            var size = Volatile.Read(ref _size);
            return size < 0 ? null : size;
        }
    }

    public void SetSize(long size) => Volatile.Write(ref _size, size);
}
