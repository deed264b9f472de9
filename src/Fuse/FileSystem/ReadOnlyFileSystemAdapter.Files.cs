using System.Buffers;

using EsxiImport.Fuse.Connection;
using EsxiImport.Fuse.Protocol;
using EsxiImport.Fuse.Protocol.Requests;
using EsxiImport.Fuse.Protocol.Wire;

namespace EsxiImport.Fuse.FileSystem;

public sealed partial class ReadOnlyFileSystemAdapter<TNode, THandle>
{
    public override ValueTask<FuseReply> OpenAsync(OpenRequest request, CancellationToken cancellationToken) =>
        OnNode(request, FsNodeKind.Directory, Errno.EISDIR, async known =>
        {
            if (request.WantsWrite)
            {
                return FuseReply.Error(Errno.EROFS);
            }

            var opened = await _fs.OpenAsync(known.Node, cancellationToken).ConfigureAwait(false);
            var fh = _files.Add(new OpenFile(known.Ino, known.Node, opened.Handle));
            var flags = opened.CacheMode switch
            {
                FsCacheMode.DirectIo => OpenReplyFlags.DirectIo,
                FsCacheMode.KeepCache => OpenReplyFlags.KeepCache,
                _ => OpenReplyFlags.None,
            };
            return new OpenReply(new OpenOut { Fh = fh, OpenFlags = (uint)flags });
        });

    /// <summary>
    /// Fills the whole requested range, from memory the file system lends when it can, else
    /// asking it to copy as often as it takes; only end of file may make the reply shorter. A file system that stops before the size it reported gets
    /// EIO instead, because a short page-cache reply would make the kernel shrink the file.
    /// </summary>
    public override ValueTask<FuseReply> ReadAsync(ReadRequest request, CancellationToken cancellationToken) =>
        Guarded(request, async () =>
        {
            var file = _files.Get(request.FileHandle);
            if (file is null)
            {
                return FuseReply.Error(Errno.EBADF);
            }

            if (request.Offset > long.MaxValue)
            {
                return FuseReply.Error(Errno.EINVAL);
            }

            var offset = (long)request.Offset;
            var size = (int)request.Size;
            if (_fs is IReadLendingFileSystem<TNode, THandle> lender)
            {
                var loan = await lender.LendAsync(file.Node, file.Handle, offset, size, cancellationToken).ConfigureAwait(false);
                try
                {
                    if (loan.Data.Length > size)
                    {
                        throw new InvalidOperationException($"the file system lent {loan.Data.Length} bytes for a {size}-byte read");
                    }

                    if (EndsEarly(file, offset, (int)loan.Data.Length, size))
                    {
                        loan.Dispose();
                        return FuseReply.Error(Errno.EIO);
                    }

                    return new DataReply(loan.Data, loan);
                }
                catch
                {
                    loan.Dispose();
                    throw;
                }
            }

            var buffer = new PooledBuffer(size);
            try
            {
                var filled = 0;
                while (filled < size)
                {
                    var n = await _fs.ReadAsync(file.Node, file.Handle, offset + filled, buffer.Memory[filled..size], cancellationToken).ConfigureAwait(false);
                    if (n <= 0)
                    {
                        break;
                    }

                    if (n > size - filled)
                    {
                        throw new InvalidOperationException($"the file system returned {n} bytes for a {size - filled}-byte buffer");
                    }

                    filled += n;
                }

                if (EndsEarly(file, offset, filled, size))
                {
                    buffer.Dispose();
                    return FuseReply.Error(Errno.EIO);
                }

                return new DataReply(buffer.Memory[..filled], buffer);
            }
            catch
            {
                buffer.Dispose();
                throw;
            }
        });

    /// <summary>Whether a reply of <paramref name="filled"/> bytes stops before the size the file system reported (logged: it is a file-system bug).</summary>
    private bool EndsEarly(OpenFile file, long offset, int filled, int size)
    {
        var knownSize = _inodes.TryGet(file.Ino, out var known) ? known.Attributes?.Size : null;
        if (filled < size && knownSize is { } end && offset + filled < end)
        {
            _options.Logger?.Invoke(FuseLogLevel.Error, $"READ of node {file.Ino}: the file system ended at {offset + filled}, before the size {end} it reported", null);
            return true;
        }

        return false;
    }

    public override ValueTask<FuseReply> ReleaseAsync(ReleaseRequest request, CancellationToken cancellationToken) =>
        Guarded(request, async () =>
        {
            var file = _files.Remove(request.FileHandle);
            if (file is not null)
            {
                await _fs.ReleaseAsync(file.Node, file.Handle).ConfigureAwait(false);
            }

            return FuseReply.Empty;
        });

    /// <summary>A pooled read buffer that goes back to the pool once the reply is written.</summary>
    private sealed class PooledBuffer(int size) : IDisposable
    {
        // Readahead keeps up to max_background 1 MiB READs in flight; the shared pool keeps only a
        // few arrays of that size per core, and every miss would be a fresh large-object
        // allocation (zeroing plus gen-2 collections), which costs more than the copy itself.
        private static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(maxArrayLength: 4 << 20, maxArraysPerBucket: 256);

        private byte[]? _array = Pool.Rent(Math.Max(size, 1));

        public Memory<byte> Memory => _array ?? throw new ObjectDisposedException(nameof(PooledBuffer));

        public void Dispose()
        {
            var array = Interlocked.Exchange(ref _array, null);
            if (array is not null)
            {
                Pool.Return(array);
            }
        }
    }
}
