namespace EsxiImport.EsxiFuse.Esxi;

/// <summary>What a HEAD request says a path is.</summary>
public enum RemoteEntryKind
{
    /// <summary>A file: the host answered <c>application/octet-stream</c> with a Content-Length.</summary>
    File,

    /// <summary>Anything else the host answered with success (its HTML directory listing).</summary>
    Directory,
}

/// <summary>The answer of <see cref="FolderClient.StatAsync(RemotePath, CancellationToken)"/>.</summary>
/// <param name="Kind">File or directory.</param>
/// <param name="Size">The file size in bytes; 0 for a directory.</param>
public readonly record struct RemoteEntry(RemoteEntryKind Kind, long Size);

/// <summary>The result of one range read.</summary>
/// <param name="BytesRead">
/// Bytes written to the caller's buffer. Less than asked only at end of file; 0 when the
/// range starts at or after the end (HTTP 416).
/// </param>
/// <param name="FileSize">The file size the host reported with this answer, when it did.</param>
public readonly record struct RangeRead(int BytesRead, long? FileSize);

/// <summary>
/// Reads byte ranges of remote files: the seam between the page cache and the HTTP client,
/// so the cache can be tested against a scripted source.
/// </summary>
public interface IRangeReader
{
    /// <summary>
    /// Reads the range that starts at <paramref name="offset"/> and is as long as
    /// <paramref name="destinations"/> together, filling them in order. Returns fewer bytes than
    /// asked only at end of file; never returns bytes that are not the file's.
    /// </summary>
    ValueTask<RangeRead> ReadAsync(RemotePath file, long offset, IReadOnlyList<Memory<byte>> destinations, CancellationToken cancellationToken);
}
