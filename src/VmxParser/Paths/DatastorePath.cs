using EsxiImport.Diagnostics;

namespace EsxiImport.VmxParser.Paths;

/// <summary>
/// A path in vSphere's datastore notation, <c>[datastore] dir/file.vmx</c>. The datastore name
/// may hold spaces, brackets and any other character; like vSphere and listvms we split on the
/// first <c>"] "</c>, so a name containing <c>"] "</c> itself cannot be written this way unless
/// the datastore names are known (the listing's overload of <c>TryParse</c>).
/// </summary>
/// <param name="Datastore">The name between the brackets (may be empty for datastore-less VMs).</param>
/// <param name="Path">The path inside the datastore, '/'-separated, without a leading '/' (the listing's
/// overload keeps it as the host printed it).</param>
public sealed record DatastorePath(string Datastore, string Path)
{
    /// <summary>The folder part of <see cref="Path"/> ("" for a file at the datastore root).</summary>
    public string Directory => Path.LastIndexOf('/') is var i and >= 0 ? Path[..i] : string.Empty;

    /// <summary>The file name part of <see cref="Path"/>.</summary>
    public string FileName => Path[(Path.LastIndexOf('/') + 1)..];

    /// <summary>Parses <c>[ds] path</c>; fails with <see cref="ErrorKind.InvalidInput"/> otherwise.</summary>
    public static DatastorePath Parse(string text) =>
        TryParse(text, out var path)
            ? path
            : throw ToolError.Of("vmx.paths.not-datastore-path", ErrorKind.InvalidInput, ("path", text));

    /// <summary>Parses <c>[ds] path</c> (also <c>[ds]</c> alone, meaning the datastore root).</summary>
    public static bool TryParse(string? text, out DatastorePath path)
    {
        path = new DatastorePath(string.Empty, string.Empty);
        if (text is null || !text.StartsWith('['))
        {
            return false;
        }

        var split = text.IndexOf("] ", StringComparison.Ordinal);
        if (split < 0)
        {
            if (!text.EndsWith(']'))
            {
                return false;
            }

            path = new DatastorePath(text[1..^1], string.Empty);
            return true;
        }

        path = new DatastorePath(text[1..split], text[(split + 2)..].TrimStart('/'));
        return true;
    }

    /// <summary>
    /// Parses a datastore path as the host prints it, knowing the names of the datastores the VM
    /// uses (<c>config.datastoreUrl</c>). The first <c>"] "</c> would split a name that contains
    /// <c>"] "</c> itself, so a known name is matched first, longest first; the first <c>"] "</c>
    /// is the fallback. The <c>"] "</c> is required here and the path is kept exactly as printed,
    /// as listvms does, so the manifest matches the upstream listing byte for byte.
    /// </summary>
    public static bool TryParse(string? text, IEnumerable<string> knownDatastores, out DatastorePath path)
    {
        ArgumentNullException.ThrowIfNull(knownDatastores);
        path = new DatastorePath(string.Empty, string.Empty);
        if (text is null || !text.StartsWith('['))
        {
            return false;
        }

        foreach (var name in knownDatastores.OrderByDescending(n => n.Length))
        {
            if (text.StartsWith("[" + name + "] ", StringComparison.Ordinal))
            {
                path = new DatastorePath(name, text[(name.Length + 3)..]);
                return true;
            }
        }

        var split = text.IndexOf("] ", StringComparison.Ordinal);
        if (split < 0)
        {
            return false;
        }

        path = new DatastorePath(text[1..split], text[(split + 2)..]);
        return true;
    }

    /// <summary>The notation <c>[ds] path</c>.</summary>
    public override string ToString() => $"[{Datastore}] {Path}";
}
