namespace EsxiImport.EsxiFuse.Esxi;

/// <summary>
/// A file or directory on a datastore: datacenter, datastore, and the path below the datastore
/// root (<c>/</c>-separated, no leading slash; empty for the root itself). Its text form
/// <c>"&lt;dc&gt;"/"&lt;ds&gt;"/"&lt;path&gt;"</c> is the context every error about it carries,
/// as upstream's later client prints it.
/// </summary>
public readonly record struct RemotePath(string Datacenter, string Datastore, string Path)
{
    /// <inheritdoc/>
    public override string ToString() => "\"" + Datacenter + "\"/\"" + Datastore + "\"/\"" + Path + "\"";
}
