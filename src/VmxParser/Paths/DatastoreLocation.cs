namespace EsxiImport.VmxParser.Paths;

/// <summary>
/// Where a file lives in the mount's tree: <c>&lt;datacenter&gt;/&lt;datastore&gt;/&lt;path&gt;</c>,
/// which is also the volid form the import uses.
/// </summary>
/// <param name="Datacenter">Datacenter name as in the manifest.</param>
/// <param name="Datastore">Datastore name as in the manifest.</param>
/// <param name="Path">Path inside the datastore, '/'-separated, normalised, no leading '/'.</param>
public sealed record DatastoreLocation(string Datacenter, string Datastore, string Path)
{
    /// <summary>The file in datastore notation, <c>[ds] path</c>.</summary>
    public DatastorePath ToDatastorePath() => new(Datastore, Path);

    /// <summary><c>datacenter/datastore/path</c>.</summary>
    public override string ToString() => $"{Datacenter}/{Datastore}/{Path}";
}
