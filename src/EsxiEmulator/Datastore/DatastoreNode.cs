namespace EsxiImport.Emulator.Datastore;

/// <summary>A file or folder of an emulated datastore.</summary>
public abstract class DatastoreNode(string name)
{
    public string Name { get; } = name;
}

/// <summary>A served file: its content is generated on demand.</summary>
public sealed class DatastoreFile(string name, FileContent content) : DatastoreNode(name)
{
    public FileContent Content { get; } = content;

    public long Length => Content.Length;
}

/// <summary>A folder; children are kept in ordinal name order so listings are stable.</summary>
public sealed class DatastoreFolder(string name) : DatastoreNode(name)
{
    private readonly SortedDictionary<string, DatastoreNode> _children = new(StringComparer.Ordinal);

    public IEnumerable<DatastoreNode> Children => _children.Values;

    public DatastoreNode? Find(string childName) => _children.GetValueOrDefault(childName);

    /// <summary>Returns the child folder, creating it; null when a file of that name is in the way.</summary>
    internal DatastoreFolder? GetOrAddFolder(string childName)
    {
        if (_children.TryGetValue(childName, out var existing))
        {
            return existing as DatastoreFolder;
        }

        var folder = new DatastoreFolder(childName);
        _children[childName] = folder;
        return folder;
    }

    /// <summary>Adds a file; false when the name is taken.</summary>
    internal bool TryAdd(DatastoreNode node) => _children.TryAdd(node.Name, node);
}
