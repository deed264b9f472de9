namespace EsxiImport.Fuse.FileSystem;

/// <summary>What a node is.</summary>
public enum FsNodeKind
{
    Directory,
    RegularFile,
}

/// <summary>
/// The attributes of a node. The layer fills in the inode number; the file type bits come from
/// <see cref="Kind"/>, so <see cref="Permissions"/> holds only the permission bits (0o444, 0o555).
/// </summary>
public sealed record FsAttributes(FsNodeKind Kind, long Size, uint Permissions, DateTimeOffset ModifiedTime)
{
    /// <summary>Hard links; 0 means 2 for a directory and 1 for a file.</summary>
    public uint LinkCount { get; init; }

    public uint Uid { get; init; }

    public uint Gid { get; init; }

    /// <summary>Null means <see cref="ModifiedTime"/>.</summary>
    public DateTimeOffset? AccessTime { get; init; }

    /// <summary>Null means <see cref="ModifiedTime"/>.</summary>
    public DateTimeOffset? ChangeTime { get; init; }

    /// <summary>st_blksize: cp, cat and cmp size their reads by it.</summary>
    public uint BlockSize { get; init; } = 128 * 1024;

    public static FsAttributes Directory(DateTimeOffset modified, uint permissions = 0b101_101_101) =>
        new(FsNodeKind.Directory, 0, permissions, modified);

    public static FsAttributes File(long size, DateTimeOffset modified, uint permissions = 0b100_100_100) =>
        new(FsNodeKind.RegularFile, size, permissions, modified);
}

/// <summary>A node and its attributes, as a lookup finds it.</summary>
public sealed record FsEntry<TNode>(TNode Node, FsAttributes Attributes)
    where TNode : class;

/// <summary>
/// One name in a directory listing. <see cref="Entry"/> is optional: with it, READDIRPLUS hands
/// the node and its attributes to the kernel at once; without it the kernel looks the name up
/// when it needs attributes.
/// </summary>
public sealed record FsDirectoryEntry<TNode>(string Name, FsNodeKind Kind, FsEntry<TNode>? Entry = null)
    where TNode : class;

/// <summary>How the kernel caches an open file's data.</summary>
public enum FsCacheMode
{
    /// <summary>Page cache with readahead; cached pages are dropped at every open.</summary>
    PageCache,

    /// <summary>Page cache kept across opens (FOPEN_KEEP_CACHE): for content that does not change.</summary>
    KeepCache,

    /// <summary>No page cache (FOPEN_DIRECT_IO): one READ per application read, no shared mmap.</summary>
    DirectIo,
}

/// <summary>The result of an open: the implementation's handle and the caching choice for this file.</summary>
public sealed record FsOpenResult<THandle>(THandle Handle, FsCacheMode CacheMode = FsCacheMode.KeepCache);

/// <summary>statfs(2) figures.</summary>
public sealed record FsStatistics
{
    public ulong Blocks { get; init; }

    public ulong BlocksFree { get; init; }

    public ulong BlocksAvailable { get; init; }

    public ulong Files { get; init; }

    public ulong FilesFree { get; init; }

    public uint BlockSize { get; init; } = 4096;

    public uint NameMax { get; init; } = 255;
}
