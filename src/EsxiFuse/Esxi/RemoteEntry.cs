namespace EsxiImport.EsxiFuse.Esxi;

/// <summary>What a HEAD request says a path is.</summary>
public enum RemoteEntryKind
{
    /// <summary>A file: the host answered with a Content-Length and anything but an HTML page.</summary>
    File,

    /// <summary>A directory: the host answered with its HTML listing.</summary>
    Directory,
}

/// <summary>The answer of <see cref="FolderClient.StatAsync(RemotePath, CancellationToken)"/>.</summary>
/// <param name="Kind">File or directory.</param>
/// <param name="Size">The file size in bytes; 0 for a directory.</param>
public readonly record struct RemoteEntry(RemoteEntryKind Kind, long Size);

/// <summary>
/// Reads byte ranges of remote files of known size: the seam between the page cache and the HTTP
/// client, so the cache can be tested against a scripted source.
/// </summary>
public interface IRangeReader
{
    /// <summary>
    /// Reads the range of a file of <paramref name="fileSize"/> bytes that starts at
    /// <paramref name="offset"/> and is as long as <paramref name="destinations"/> together,
    /// filling them in order, and returns how many bytes it read: all of them, or as many as the
    /// file has from <paramref name="offset"/> on (0 at or after its end). Never returns bytes
    /// that are not the file's, and never fewer than that: an answer that contradicts the size is
    /// an error.
    /// </summary>
    ValueTask<int> ReadAsync(RemotePath file, long fileSize, long offset, IReadOnlyList<Memory<byte>> destinations, CancellationToken cancellationToken);
}
