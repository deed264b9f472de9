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
/// At ready the tool also lets go of the stdin, stdout and stderr it inherited: they are pointed
/// at /dev/null, and so is every copy of them the process holds (the .NET runtime dups fd 1 and
/// 2 when it opens the console streams). Everything after ready goes to syslog; a caller that
/// captures the tool's output (<c>out=$(launcher …)</c>, the May 2024 plugin with stderr in the
/// ready pipe, FB-08) would otherwise wait for the end of the mount.
/// </summary>
public sealed class ReadySignal
{
    private const string DevNull = "/dev/null";

    private readonly int? _fd;
    private readonly IReadOnlyList<int> _stdFds;
    private bool _done;

    /// <param name="fd">The ready fd, or null without <c>--ready-fd</c>.</param>
    /// <param name="stdFds">The inherited standard fds, stderr last: stdin, stdout and stderr (tests pass others).</param>
    public ReadySignal(int? fd, IReadOnlyList<int> stdFds)
    {
        _fd = fd;
        _stdFds = stdFds;
    }

    /// <summary>
    /// True when stderr (the last of the standard fds) is the ready pipe itself. Then an early
    /// failure writes only the ready-fd line: a second line would break the plugin's single-line
    /// <c>ERROR:</c> rule.
    /// </summary>
    public bool StderrIsReadyPipe => _fd is { } fd && !_done && _stdFds.Count > 0 && SameOpenFile(_stdFds[^1], fd);

    /// <summary>True once the standard fds were pointed at /dev/null.</summary>
    public bool ReleasedStdStreams { get; private set; }

    /// <summary>
    /// Signals ready: points the standard fds and their copies at /dev/null, then closes the
    /// fd. Returns the errno of a failed close (logged by the caller; the mount itself is fine),
    /// else null.
    /// </summary>
    public int? Succeed()
    {
        if (_done)
        {
            return null;
        }

        _done = true;
        ReleaseStdStreams();
        return _fd is { } fd && LibC.Close(fd) != 0 ? Marshal.GetLastPInvokeError() : null;
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

    private void ReleaseStdStreams()
    {
        // A standard fd that is the ready fd itself is closed with it; one already on /dev/null
        // needs nothing.
        var streams = _stdFds.Where(s => s != _fd && LinkOf(s) is { } link && link != DevNull).ToList();
        if (streams.Count == 0)
        {
            return;
        }

        var held = streams.Select(s => (Link: LinkOf(s), Mode: AccessMode(s))).ToHashSet();
        var targets = new List<int>(streams);
        foreach (var entry in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            // A copy is another fd on the same open pipe, terminal or file with the same access
            // mode: the read end of a pipe whose write end is stdout is no copy of stdout.
            if (int.TryParse(Path.GetFileName(entry), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
                && n != _fd && !targets.Contains(n) && held.Contains((LinkOf(n), AccessMode(n))))
            {
                targets.Add(n);
            }
        }

        var devNull = LibC.Open(DevNull, 2 /* O_RDWR */);
        if (devNull < 0)
        {
            return;
        }

        foreach (var target in targets)
        {
            _ = NativeMethods.Dup2(devNull, target);
        }

        _ = LibC.Close(devNull);
        ReleasedStdStreams = true;
    }

    /// <summary>The access mode (O_RDONLY 0, O_WRONLY 1, O_RDWR 2) per /proc/self/fdinfo, or -1.</summary>
    private static int AccessMode(int fd)
    {
        try
        {
            var flags = File.ReadLines($"/proc/self/fdinfo/{fd}").FirstOrDefault(l => l.StartsWith("flags:", StringComparison.Ordinal));
            return flags is null ? -1 : Convert.ToInt32(flags["flags:".Length..].Trim(), 8) & 3;
        }
        catch (IOException)
        {
            return -1;
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
