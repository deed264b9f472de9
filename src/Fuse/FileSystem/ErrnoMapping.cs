using EsxiImport.Diagnostics;
using EsxiImport.Fuse.Protocol;

namespace EsxiImport.Fuse.FileSystem;

/// <summary>The one place where a failure of the file system becomes the errno a caller sees.</summary>
public static class ErrnoMapping
{
    /// <summary>
    /// A <see cref="ToolError"/> that carries an errno keeps it; otherwise its kind decides:
    /// missing objects are ENOENT, a directory where a file was expected EISDIR, refused
    /// credentials EACCES, malformed input EINVAL, and every remote or unknown failure EIO
    /// (what qemu-img and cp report as an I/O error).
    /// </summary>
    public static int ToErrno(ToolError error) => error.Errno is { } errno and > 0 and < 1000 ? errno : error.Kind switch
    {
        ErrorKind.NotFound => Errno.ENOENT,
        ErrorKind.IsDirectory => Errno.EISDIR,
        ErrorKind.Authentication => Errno.EACCES,
        ErrorKind.InvalidInput => Errno.EINVAL,
        _ => Errno.EIO,
    };
}
