using System.Buffers;
using System.Collections.Concurrent;

using EsxiImport.Fuse.Connection;
using EsxiImport.Fuse.Protocol;

namespace EsxiImport.UnitTests.Fuse;

/// <summary>
/// A /dev/fuse stand-in: reads come from a queue of frames or scripted errnos (ENODEV once the
/// queue is closed and empty), writes are recorded.
/// </summary>
public sealed class FakeFuseDevice : IFuseDevice
{
    private readonly BlockingCollection<(byte[]? Frame, int Errno)> _incoming = [];
    private readonly List<ReplyFrame> _written = [];

    /// <summary>The errno writes return (ENOENT simulates a request the kernel already dropped).</summary>
    public int WriteErrno { get; set; }

    public IReadOnlyList<ReplyFrame> Written
    {
        get
        {
            lock (_written)
            {
                return _written.ToList();
            }
        }
    }

    public void Enqueue(byte[] frame) => _incoming.Add((frame, 0));

    public void EnqueueErrno(int errno) => _incoming.Add((null, errno));

    /// <summary>After the queued items, reads report ENODEV (unmounted).</summary>
    public void Unmount() => _incoming.CompleteAdding();

    public DeviceRead Read(Span<byte> buffer, int timeoutMs)
    {
        if (!_incoming.TryTake(out var item, timeoutMs))
        {
            return new DeviceRead(0, _incoming.IsCompleted ? Errno.ENODEV : Errno.EAGAIN);
        }

        if (item.Frame is null)
        {
            return new DeviceRead(0, item.Errno);
        }

        item.Frame.CopyTo(buffer);
        return new DeviceRead(item.Frame.Length, 0);
    }

    public int Write(in ReplyFrame frame)
    {
        lock (_written)
        {
            _written.Add(frame with { Body = new ReadOnlySequence<byte>(frame.Body.ToArray()) });
        }

        return WriteErrno;
    }

    public byte[] AllWrittenBytes() => Written.SelectMany(f => f.ToArray()).ToArray();

    public void Dispose() => _incoming.Dispose();
}
