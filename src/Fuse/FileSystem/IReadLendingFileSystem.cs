using System.Buffers;

namespace EsxiImport.Fuse.FileSystem;

/// <summary>
/// A file system that can lend the bytes of a read from memory it already holds (the pages of a
/// cache) instead of copying them into a buffer of the layer's. The reply is written straight
/// from that memory and the loan is returned once the kernel has taken it; so a read costs no
/// reply buffer and no copy. The layer prefers this to <see cref="IReadOnlyFileSystem{TNode, THandle}.ReadAsync"/>.
/// </summary>
public interface IReadLendingFileSystem<TNode, THandle>
    where TNode : class
{
    /// <summary>
    /// Lends up to <paramref name="length"/> bytes at <paramref name="offset"/>: all of them
    /// unless the file ends first (none at or after its end). The memory must stay unchanged
    /// until the loan is disposed.
    /// </summary>
    ValueTask<FsReadLoan> LendAsync(TNode file, THandle handle, long offset, int length, CancellationToken cancellationToken);
}

/// <summary>Bytes lent by a file system; disposing the loan gives the memory back to the lender.</summary>
public sealed class FsReadLoan(ReadOnlySequence<byte> data, IDisposable? owner) : IDisposable
{
    private IDisposable? _owner = owner;

    /// <summary>The bytes, in one or more segments.</summary>
    public ReadOnlySequence<byte> Data { get; } = data;

    public void Dispose() => Interlocked.Exchange(ref _owner, null)?.Dispose();
}
