using System.Buffers;
using System.Runtime.InteropServices;

using EsxiImport.Diagnostics;
using EsxiImport.Fuse.Native;
using EsxiImport.Fuse.Protocol;
using EsxiImport.Fuse.Protocol.Wire;

namespace EsxiImport.Fuse.Connection;

/// <summary>
/// An open /dev/fuse. Reads are poll-then-read on a non-blocking fd, so a reader thread notices a
/// stop request within one poll period even when no request ever comes (a blocked read(2) is not
/// woken by close). Each reply is one writev of header and payload segments, so no copy joins them and
/// no lock is needed: the kernel takes each write whole.
/// </summary>
public sealed unsafe class FuseDevice : IFuseDevice
{
    public const string DevicePath = "/dev/fuse";

    private int _fd;

    private FuseDevice(int fd) => _fd = fd;

    /// <summary>The descriptor number, for the mount data's <c>fd=</c>.</summary>
    public int Fd => _fd;

    public static FuseDevice Open()
    {
        var fd = LibC.Open(DevicePath, LibC.O_RDWR | LibC.O_CLOEXEC | LibC.O_NONBLOCK);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw ToolError.OfErrno("fuse.device.open-failed", errno, ("device", DevicePath), ("reason", LibC.Describe(errno)));
        }

        return new FuseDevice(fd);
    }

    /// <summary>Wraps a descriptor received from fusermount3.</summary>
    public static FuseDevice FromDescriptor(int fd) => new(fd);

    public DeviceRead Read(Span<byte> buffer, int timeoutMs)
    {
        var fd = Volatile.Read(ref _fd);
        if (fd < 0)
        {
            return new DeviceRead(0, Errno.EBADF);
        }

        var poll = new LibC.PollFd { Fd = fd, Events = LibC.POLLIN };
        var ready = LibC.Poll(&poll, 1, timeoutMs);
        if (ready < 0)
        {
            return new DeviceRead(0, Marshal.GetLastPInvokeError());
        }

        if (ready == 0)
        {
            return new DeviceRead(0, Errno.EAGAIN);
        }

        fixed (byte* p = buffer)
        {
            var n = LibC.Read(fd, p, (nuint)buffer.Length);
            return n < 0 ? new DeviceRead(0, Marshal.GetLastPInvokeError()) : new DeviceRead((int)n, 0);
        }
    }

    public int Write(in ReplyFrame frame)
    {
        var fd = Volatile.Read(ref _fd);
        if (fd < 0)
        {
            return Errno.EBADF;
        }

        var body = frame.Body;
        var segments = 0;
        foreach (var segment in body)
        {
            segments += segment.IsEmpty ? 0 : 1;
        }

        if (segments + 1 > MaxIovecs)
        {
            // Only absurdly small cache pages get here; one copy beats failing the read.
            return WriteJoined(fd, frame);
        }

        MemoryHandle[] handles = segments == 0 ? [] : new MemoryHandle[segments];
        try
        {
            var iov = stackalloc LibC.Iovec[segments + 1];
            fixed (byte* head = frame.Head)
            {
                iov[0] = new LibC.Iovec { Base = head, Length = (nuint)frame.Head.Length };
                var i = 0;
                foreach (var segment in body)
                {
                    if (segment.IsEmpty)
                    {
                        continue;
                    }

                    handles[i] = segment.Pin();
                    iov[i + 1] = new LibC.Iovec { Base = handles[i].Pointer, Length = (nuint)segment.Length };
                    i++;
                }

                return WriteVector(fd, iov, segments + 1, frame.Length);
            }
        }
        finally
        {
            foreach (var handle in handles)
            {
                handle.Dispose();
            }
        }
    }

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            LibC.Close(fd);
        }
    }

    /// <summary>The kernel's limit on iovecs per writev (IOV_MAX).</summary>
    internal const int MaxIovecs = 1024;

    private static int WriteVector(int fd, LibC.Iovec* iov, int count, int expected)
    {
        var n = LibC.Writev(fd, iov, count);
        if (n < 0)
        {
            return Marshal.GetLastPInvokeError();
        }

        // The kernel takes a reply whole or not at all; a partial count would be a kernel bug.
        return n == expected ? 0 : Errno.EIO;
    }

    private static int WriteJoined(int fd, in ReplyFrame frame)
    {
        var all = frame.ToArray();
        fixed (byte* p = all)
        {
            var iov = new LibC.Iovec { Base = p, Length = (nuint)all.Length };
            return WriteVector(fd, &iov, 1, all.Length);
        }
    }

    /// <summary>The smallest read buffer the kernel accepts for a given max_write (it fails smaller reads with EINVAL).</summary>
    public static int MinimumBufferSize(uint maxWrite) => Math.Max(8192, InHeader.WireSize + ReadIn.WireSize + (int)maxWrite);
}
