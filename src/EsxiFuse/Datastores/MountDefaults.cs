using EsxiImport.EsxiFuse.Caching;
using EsxiImport.EsxiFuse.Cli;
using EsxiImport.Fuse.Connection;

namespace EsxiImport.EsxiFuse.Datastores;

/// <summary>
/// What the tool asks of the generic FUSE layer beyond its defaults: its name in the mount table
/// (as upstream's tool, unless <c>-o fsname=</c>/<c>subtype=</c> say otherwise), and a kernel
/// read-ahead as large as the page cache's read-ahead window, so the kernel asks for what the
/// cache fetches anyway. Both read-ahead figures come from <see cref="PageCacheOptions"/>.
/// </summary>
internal static class MountDefaults
{
    /// <summary>The kernel's read-ahead: the page cache's window of a sequential reader.</summary>
    public const int ReadAheadBytes = PageCacheOptions.DefaultReadAheadBytes;

    public static FuseMountOptions Apply(FuseMountOptions options) => options with
    {
        Source = ProgramName.Default,
        Subtype = ProgramName.Default,
        ReadAheadKb = ReadAheadBytes / 1024,
        Server = options.Server with { MaxReadahead = ReadAheadBytes },
    };
}
