using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Cli;
using EsxiImport.EsxiFuse.Os;
using EsxiImport.Fuse.Connection;

namespace EsxiImport.EsxiFuse.Startup;

/// <summary>
/// The mount path before mounting: a stale FUSE mount left by a crashed instance is detached
/// first (FB-42; its directory would answer "Transport endpoint is not connected"), then the
/// path must be an existing directory.
/// </summary>
public static class MountPoint
{
    /// <summary>
    /// Lazily detaches whatever is mounted at <paramref name="path"/> with the FUSE layer's
    /// <see cref="StaleMount"/>; nothing mounted or no such path is fine. A failure gets the
    /// upstream tool's context line over the OS error instead of the FUSE layer's own text.
    /// </summary>
    public static void DetachStale(string path)
    {
        try
        {
            StaleMount.Detach(path);
        }
        catch (ToolError e) when (e.Errno is { } errno)
        {
            throw ToolError.Wrap(OsError.Of(errno), "esxi-folder-fuse.stale-mount.unmount");
        }
    }

    /// <summary>Fails with the mount context when the path is missing or not a directory.</summary>
    public static void CheckDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            return;
        }

        var cause = File.Exists(path)
            ? ToolError.Of("esxi-folder-fuse.mount-path.not-directory", ErrorKind.InvalidInput)
            : ToolError.Of("esxi-folder-fuse.mount-path.missing", ErrorKind.NotFound);
        throw ToolError.Wrap(cause, "esxi-folder-fuse.mount.failed", ("path", DebugQuote.Of(path)));
    }
}
