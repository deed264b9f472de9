using System.Globalization;
using System.Runtime.InteropServices;

using EsxiImport.Diagnostics;
using EsxiImport.Fuse.Native;
using EsxiImport.Fuse.Protocol;

namespace EsxiImport.EsxiFuse.Os;

/// <summary>
/// Reads an input the tool takes whole (a password file or fd, a user file, the manifest) with a
/// size limit and a time limit, so that <c>/dev/zero</c> fails at once instead of filling memory,
/// and a FIFO or pipe that nobody writes to ends with an error instead of a silent hang. The
/// file is opened without blocking (opening a FIFO would wait for a writer) and read as data
/// arrives; a signal ends the wait through the cancellation token.
/// </summary>
public static class BoundedInput
{
    /// <summary>A password, or a user file's name and password: no ESXi password comes near this.</summary>
    public const int SecretLimit = 4096;

    /// <summary>A manifest: a listing of a full host (1024 VMs) is a few MB.</summary>
    public const int ManifestLimit = 64 << 20;

    /// <summary>How long a pipe or FIFO may take to deliver all of its data.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(30);

    private const int O_NONBLOCK = 0x800;
    private const int O_CLOEXEC = 0x80000;
    private const int EAGAIN = 11;

    /// <summary>Poll slices, so a cancelled token is seen promptly.</summary>
    private const int SliceMs = 100;

    /// <summary>
    /// Whether <paramref name="error"/> is one of the limits (size or time). Its text names the
    /// input and the limit, so callers show it as it is rather than under a generic context.
    /// </summary>
    public static bool IsLimit(ToolError error) =>
        error?.MessageId is "esxi-folder-fuse.input.too-large" or "esxi-folder-fuse.input.timeout";

    /// <summary>
    /// Reads the file at <paramref name="path"/>, called <paramref name="input"/> in messages (e.g.
    /// <c>password file "/x"</c>). An OS error is an <see cref="OsError"/>; the limits are errors of their own.
    /// </summary>
    public static byte[] ReadFile(string path, string input, int limit, TimeSpan wait, CancellationToken cancellationToken)
    {
        var fd = LibC.Open(path, O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
        {
            throw OsError.Of(Marshal.GetLastPInvokeError());
        }

        try
        {
            return Read(fd, input, limit, wait, cancellationToken);
        }
        finally
        {
            _ = LibC.Close(fd);
        }
    }

    /// <summary>Reads an inherited descriptor to its end; it stays open (the caller closes it).</summary>
    public static byte[] ReadDescriptor(int fd, string input, int limit, TimeSpan wait, CancellationToken cancellationToken) =>
        Read(fd, input, limit, wait, cancellationToken);

    private static unsafe byte[] Read(int fd, string input, int limit, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + wait;
        var data = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw ToolError.Of("esxi-folder-fuse.input.timeout", ErrorKind.Timeout, ("input", input), ("seconds", wait.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)));
            }

            // A FIFO without a writer reads as end of file at once; poll waits for one to come.
            var pollFd = new LibC.PollFd { Fd = fd, Events = LibC.POLLIN };
            var ready = LibC.Poll(&pollFd, 1, (int)Math.Min(SliceMs, Math.Ceiling(left.TotalMilliseconds)));
            if (ready < 0 && Marshal.GetLastPInvokeError() is var pollErrno && pollErrno != Errno.EINTR)
            {
                throw OsError.Of(pollErrno);
            }

            if (ready <= 0)
            {
                continue;
            }

            // One byte more than the limit tells "too large" from "exactly at the limit".
            var room = (int)Math.Min(buffer.Length, limit + 1 - data.Length);
            nint n;
            fixed (byte* p = buffer)
            {
                n = LibC.Read(fd, p, (nuint)room);
            }

            if (n < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno is Errno.EINTR or EAGAIN)
                {
                    continue;
                }

                throw OsError.Of(errno);
            }

            if (n == 0)
            {
                return data.ToArray();
            }

            data.Write(buffer, 0, (int)n);
            if (data.Length > limit)
            {
                throw ToolError.Of("esxi-folder-fuse.input.too-large", ErrorKind.InvalidInput, ("input", input), ("limit", limit));
            }
        }
    }
}
