namespace EsxiImport.Listing.Listing;

/// <summary>
/// A datastore path as the host prints it, <c>[datastore] dir/file</c>. Upstream splits at the
/// first <c>"] "</c>, which breaks datastore names that contain <c>"] "</c> themselves; so a name
/// the VM is known to use (from <c>config.datastoreUrl</c>) is matched first, longest first, and
/// the first <c>"] "</c> is only the fallback.
/// </summary>
public static class DatastorePath
{
    public static bool TryParse(string? text, IEnumerable<string> knownDatastores, out string datastore, out string path)
    {
        ArgumentNullException.ThrowIfNull(knownDatastores);
        datastore = path = "";
        if (text is null || !text.StartsWith('['))
        {
            return false;
        }

        foreach (var name in knownDatastores.OrderByDescending(n => n.Length))
        {
            if (text.StartsWith("[" + name + "] ", StringComparison.Ordinal))
            {
                datastore = name;
                path = text[(name.Length + 3)..];
                return true;
            }
        }

        var end = text.IndexOf("] ", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        datastore = text[1..end];
        path = text[(end + 2)..];
        return true;
    }
}