namespace EsxiImport.Emulator.Datastore;

/// <summary>The file tree of one datastore, as <c>/folder</c> serves it.</summary>
public sealed class DatastoreTree(string name, string uuid)
{
    public string Name { get; } = name;

    public string Uuid { get; } = uuid;

    public DatastoreFolder Root { get; } = new("");

    /// <summary>Finds the node at a path of already-decoded segments; empty segments are ignored.</summary>
    public DatastoreNode? Find(IEnumerable<string> segments)
    {
        DatastoreNode node = Root;
        foreach (var segment in segments)
        {
            if (segment.Length == 0)
            {
                continue;
            }

            if (node is not DatastoreFolder folder || folder.Find(segment) is not { } child)
            {
                return null;
            }

            node = child;
        }

        return node;
    }

    /// <summary>Finds the node at a '/'-separated path relative to the datastore root.</summary>
    public DatastoreNode? Find(string path) => Find(path.Split('/'));

    /// <summary>Creates the folders of <paramref name="path"/>; null when a file is in the way.</summary>
    internal DatastoreFolder? EnsureFolder(string path)
    {
        var folder = Root;
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            folder = folder.GetOrAddFolder(segment);
            if (folder is null)
            {
                return null;
            }
        }

        return folder;
    }

    /// <summary>Adds a file at a '/'-separated path, creating its folders; false when the path is taken.</summary>
    internal bool TryAddFile(string path, FileContent content)
    {
        var cut = path.LastIndexOf('/');
        var folder = cut < 0 ? Root : EnsureFolder(path[..cut]);
        return folder is not null && folder.TryAdd(new DatastoreFile(path[(cut + 1)..], content));
    }
}
