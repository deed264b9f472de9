namespace EsxiImport.Fuse.FileSystem;

/// <summary>
/// A read-only file system as the FUSE layer serves it. The implementation speaks in its own
/// node objects (<typeparamref name="TNode"/>) and open-file handles (<typeparamref name="THandle"/>);
/// the layer keeps inode numbers, generations, lookup counts, file-handle numbers and directory
/// offsets, and turns results into replies. Every method may be called concurrently.
/// <para>
/// Failures: throw a <see cref="EsxiImport.Diagnostics.ToolError"/>; its errno, or else its kind,
/// picks the errno the caller sees (<see cref="ErrnoMapping"/>). Anything else thrown becomes EIO
/// and is logged. Honour the cancellation token: it fires when the caller is interrupted
/// (signal or kill) and on unmount; the layer then answers EINTR itself.
/// </para>
/// </summary>
public interface IReadOnlyFileSystem<TNode, THandle>
    where TNode : class
{
    /// <summary>The root directory (inode 1).</summary>
    TNode Root { get; }

    /// <summary>The entry <paramref name="name"/> of <paramref name="directory"/>, or null when there is none (ENOENT).</summary>
    ValueTask<FsEntry<TNode>?> LookupAsync(TNode directory, string name, CancellationToken cancellationToken);

    /// <summary>Current attributes of a node (GETATTR); the layer caches them for the attribute timeout.</summary>
    ValueTask<FsAttributes> GetAttributesAsync(TNode node, CancellationToken cancellationToken);

    /// <summary>
    /// The entries of a directory, without "." and ".." (the layer adds them). Called once per
    /// opendir; the list is kept for that open directory, so paging offsets stay stable. An entry
    /// that carries <see cref="FsDirectoryEntry{TNode}.Entry"/> is handed to the kernel with its
    /// attributes (READDIRPLUS), which spares `ls -l` one LOOKUP per name.
    /// </summary>
    ValueTask<IReadOnlyList<FsDirectoryEntry<TNode>>> ReadDirectoryAsync(TNode directory, CancellationToken cancellationToken);

    /// <summary>Opens a regular file for reading and says how the kernel should cache it.</summary>
    ValueTask<FsOpenResult<THandle>> OpenAsync(TNode file, CancellationToken cancellationToken);

    /// <summary>
    /// Reads up to <c>destination.Length</c> bytes at <paramref name="offset"/> and returns how
    /// many were written; 0 means end of file. Returning fewer bytes is fine: the layer asks again
    /// for the rest, because a short reply before end of file would make the kernel shrink the file.
    /// </summary>
    ValueTask<int> ReadAsync(TNode file, THandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken);

    /// <summary>The last close of an open file.</summary>
    ValueTask ReleaseAsync(TNode file, THandle handle);

    /// <summary>statfs(2) figures for df.</summary>
    ValueTask<FsStatistics> GetStatisticsAsync(CancellationToken cancellationToken);
}
