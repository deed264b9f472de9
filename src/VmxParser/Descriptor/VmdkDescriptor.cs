using EsxiImport.VmxParser.Warnings;

namespace EsxiImport.VmxParser.Descriptor;

/// <summary>
/// A text VMDK descriptor: the header entries (<c>version</c>, <c>encoding</c>, <c>CID</c>,
/// <c>parentCID</c>, <c>createType</c>, <c>parentFileNameHint</c>, ...) in file order, the
/// extents, and the disk database (<c>ddb.*</c>) in file order. Values are unquoted.
/// </summary>
/// <param name="Header">Non-<c>ddb.</c> entries in file order.</param>
/// <param name="Extents">Extent lines in file order.</param>
/// <param name="DiskDatabase"><c>ddb.*</c> entries in file order, keys as written.</param>
/// <param name="Warnings">Lines the parser skipped.</param>
public sealed record VmdkDescriptor(
    IReadOnlyList<KeyValuePair<string, string>> Header,
    IReadOnlyList<VmdkExtent> Extents,
    IReadOnlyList<KeyValuePair<string, string>> DiskDatabase,
    IReadOnlyList<ParseWarning> Warnings)
{
    /// <summary><c>createType</c> (monolithicFlat, twoGbMaxExtentFlat, vmfs, vmfsSparse, seSparse, ...).</summary>
    public string? CreateType => HeaderValue("createType");

    /// <summary>The parent of a delta disk, relative to this file's folder or absolute (FB-32, FB-33).</summary>
    public string? ParentFileNameHint => HeaderValue("parentFileNameHint");

    /// <summary>Content id, hex.</summary>
    public string? Cid => HeaderValue("CID");

    /// <summary>The parent's content id; <c>ffffffff</c> for a base disk.</summary>
    public string? ParentCid => HeaderValue("parentCID");

    /// <summary>The <c>encoding</c> entry, if any.</summary>
    public string? Encoding => HeaderValue("encoding");

    /// <summary>True for a child (snapshot / linked clone) disk, which needs its parent chain.</summary>
    public bool HasParent => ParentFileNameHint is not null
        || (ParentCid is { } p && !p.Equals("ffffffff", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Total size in bytes (all extents). A descriptor is untrusted input, so a sum beyond
    /// <see cref="long.MaxValue"/> saturates instead of throwing or wrapping.
    /// </summary>
    public long CapacityBytes
    {
        get
        {
            const long MaxSectors = long.MaxValue / 512;
            long sectors = 0;
            foreach (var e in Extents)
            {
                sectors = e.Sectors >= MaxSectors - sectors ? MaxSectors : sectors + e.Sectors;
            }

            return sectors == MaxSectors ? long.MaxValue : sectors * 512;
        }
    }

    /// <summary>The last value of header key <paramref name="key"/>, compared ignoring case.</summary>
    public string? HeaderValue(string key) => LastOf(Header, key);

    /// <summary>The last value of <c>ddb.*</c> key <paramref name="key"/> (full key, e.g. <c>ddb.adapterType</c>), ignoring case.</summary>
    public string? DiskDatabaseValue(string key) => LastOf(DiskDatabase, key);

    private static string? LastOf(IReadOnlyList<KeyValuePair<string, string>> entries, string key)
    {
        for (var i = entries.Count - 1; i >= 0; i--)
        {
            if (string.Equals(entries[i].Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return entries[i].Value;
            }
        }

        return null;
    }
}
