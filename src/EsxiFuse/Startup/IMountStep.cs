namespace EsxiImport.EsxiFuse.Startup;

/// <summary>
/// MOUNT: opens /dev/fuse and mounts at the path, still as root. Throws <see cref="Diagnostics.ToolError"/>
/// with context <c>failed to mount fuse file system at "&lt;path&gt;"</c> on failure.
/// </summary>
public interface IMountStep
{
    Task<IMountedFileSystem> MountAsync(MountRequest request, CancellationToken cancellationToken);
}
