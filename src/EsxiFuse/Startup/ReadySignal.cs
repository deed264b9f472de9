using System.Runtime.InteropServices;
using System.Text;

using EsxiImport.EsxiFuse.Os;
using EsxiImport.Fuse.Native;
using EsxiImport.Fuse.Protocol;

namespace EsxiImport.EsxiFuse.Startup;

/// <summary>
/// The plugin's ready fd (<c>--ready-fd N</c>). Success: the fd is closed without data, as
/// upstream does. Early failure: one line <c>ERROR: a: b: c</c> is written first, so the plugin's
/// <c>/^ERROR: (.*)$/</c> check shows the cause (FB-07, FB-09, FB-12).
/// If stderr or stdout is the same pipe as the ready fd (the May 2024 plugin, FB-08), it is
/// pointed at /dev/null at ready, or the plugin would wait for EOF as long as the mount lives.
/// So is every other copy of the pipe's write end the process holds: the .NET runtime dups
/// fd 2 when it opens <c>Console.Error</c>, and that copy alone keeps the pipe open.
/// </summary>
public sealed class ReadySignal
{
    private readonly int? _fd;
    private readonly IReadOnlyList<int> _stdFds;
    private bool _done;

    /// <param name="fd">The ready fd, or null without <c>--ready-fd</c>.</param>
    /// <param name="stdFds">The fds to check for sharing the pipe: stdout and stderr (tests pass others).</param>
    public ReadySignal(int? fd, IReadOnlyList<int>? stdFds = null)
    {
        _fd = fd;
        _stdFds = stdFds ?? [1, 2];
    }

    /// <summary>
    /// True when stderr (the last of the standard fds) is the ready pipe itself. Then an early
    /// failure writes only the ready-fd line: a second line would break the plugin's single-line
    /// <c>ERROR:</c> rule.
    /// </summary>
    public bool StderrIsReadyPipe => _fd is { } fd && !_done && _stdFds.Count > 0 && SameOpenFile(_stdFds[^1], fd);

    /// <summary>True when a standard stream shares the ready fd's pipe and was moved to /dev/null.</summary>
    public bool RedirectedStdStreams { get; private set; }

    /// <summary>
    /// Signals ready: moves standard streams off the pipe, then closes the fd. Returns the errno of
    /// a failed close (logged by the caller; the mount itself is fine), else null.
    /// </summary>
    public int? Succeed()
    {
        if (_fd is not { } fd || _done)
        {
            return null;
        }

        _done = true;
        var shared = _stdFds.Where(s => s != fd && SameOpenFile(s, fd)).ToList();
        if (shared.Count > 0)
        {
            shared.AddRange(WriteCopiesOf(fd).Except(shared));
        }

        if (shared.Count > 0)
        {
            var devNull = LibC.Open("/dev/null", 1 /* O_WRONLY */);
            if (devNull >= 0)
            {
                foreach (var s in shared)
                {
                    _ = NativeMethods.Dup2(devNull, s);
                }

                _ = LibC.Close(devNull);
                RedirectedStdStreams = true;
            }
        }

        return LibC.Close(fd) == 0 ? null : Marshal.GetLastPInvokeError();
    }

    /// <summary>Writes the early-error line (best effort: the reader may be gone) and closes the fd.</summary>
    public unsafe void Fail(string readyFdLine)
    {
        if (_fd is not { } fd || _done)
        {
            return;
        }

        _done = true;
        var bytes = Encoding.UTF8.GetBytes(readyFdLine);
        fixed (byte* p = bytes)
        {
            var written = 0;
            while (written < bytes.Length)
            {
                var n = NativeMethods.Write(fd, p + written, (nuint)(bytes.Length - written));
                if (n < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR)
                {
                    continue;
                }

                if (n <= 0)
                {
                    break;
                }

                written += (int)n;
            }
        }

        _ = LibC.Close(fd);
    }

    /// <summary>
    /// Whether two fds refer to the same open pipe, socket or file. /proc names a pipe by its
    /// inode (<c>pipe:[1234]</c>), which is what fstat's st_dev/st_ino comparison would check,
    /// without depending on the architecture's struct stat layout.
    /// </summary>
    public static bool SameOpenFile(int a, int b)
    {
        var x = LinkOf(a);
        return x is not null && x == LinkOf(b);
    }

    /// <summary>The other fds of this process that write to the same open pipe or file as <paramref name="fd"/>.</summary>
    private static IEnumerable<int> WriteCopiesOf(int fd)
    {
        var target = LinkOf(fd);
        if (target is null)
        {
            return [];
        }

        var copies = new List<int>();
        foreach (var entry in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            if (int.TryParse(Path.GetFileName(entry), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
                && n != fd && LinkOf(n) == target && IsWriteOnly(n))
            {
                copies.Add(n);
            }
        }

        return copies;
    }

    /// <summary>Access mode O_WRONLY per /proc/self/fdinfo (a pipe's read end has the same link and must stay).</summary>
    private static bool IsWriteOnly(int fd)
    {
        try
        {
            var flags = File.ReadLines($"/proc/self/fdinfo/{fd}").FirstOrDefault(l => l.StartsWith("flags:", StringComparison.Ordinal));
            return flags is not null && (Convert.ToInt32(flags["flags:".Length..].Trim(), 8) & 3) == 1;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string? LinkOf(int fd)
    {
        try
        {
            return new FileInfo($"/proc/self/fd/{fd}").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
