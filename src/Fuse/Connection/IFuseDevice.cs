using EsxiImport.Fuse.Protocol;

namespace EsxiImport.Fuse.Connection;

/// <summary>The outcome of one device read: a frame length, or an errno (0 when bytes were read).</summary>
public readonly record struct DeviceRead(int Length, int Errno);

/// <summary>
/// The /dev/fuse connection as the server sees it, so the read loop can be run against a fake
/// device in tests. A read returns exactly one request; a write sends exactly one reply.
/// </summary>
public interface IFuseDevice : IDisposable
{
    /// <summary>
    /// Waits up to <paramref name="timeoutMs"/> for a request and reads it into
    /// <paramref name="buffer"/>. EAGAIN means nothing arrived (the caller checks for stop and
    /// tries again); ENODEV means the file system is gone.
    /// </summary>
    DeviceRead Read(Span<byte> buffer, int timeoutMs);

    /// <summary>Writes one reply; returns 0 or the errno of the write (ENOENT: the request is gone).</summary>
    int Write(in ReplyFrame frame);
}
