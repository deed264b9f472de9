using EsxiImport.Diagnostics;
using EsxiImport.Fuse.Native;
using EsxiImport.Fuse.Protocol;

namespace EsxiImport.EsxiFuse.Os;

/// <summary>
/// The root error of a failed system call, worded as upstream's Rust tool shows it
/// (<c>No such file or directory (os error 2)</c>), so the chain ends in the kernel's own words.
/// </summary>
internal static class OsError
{
    public static ToolError Of(int errno) =>
        ToolError.OfErrno("esxi-folder-fuse.os-error", errno, ("text", LibC.Describe(errno)), ("errno", errno));

    /// <summary>The errno an I/O exception from the file APIs stands for.</summary>
    public static int ErrnoOf(Exception e, string path) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => Errno.ENOENT,
        UnauthorizedAccessException when Directory.Exists(path) => Errno.EISDIR,
        UnauthorizedAccessException => Errno.EACCES,
        PathTooLongException => Errno.ENAMETOOLONG,
        _ when e.HResult is > 0 and < 4096 => e.HResult,
        _ => Errno.EIO,
    };
}
