using EsxiImport.Fuse.Connection;

namespace EsxiImport.Fuse.FileSystem;

/// <summary>Cache lifetimes the kernel is told and where the layer reports failures.</summary>
public sealed record FileSystemOptions
{
    /// <summary>How long the kernel may keep a name → inode mapping without asking again.</summary>
    public TimeSpan EntryTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long the kernel may keep attributes without GETATTR.</summary>
    public TimeSpan AttributeTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long a "no such name" answer is cached; zero sends a plain ENOENT.</summary>
    public TimeSpan NegativeEntryTimeout { get; init; } = TimeSpan.Zero;

    /// <summary>Receives a line for each request that failed with EIO because of the file system.</summary>
    public FuseLogger? Logger { get; init; }
}
