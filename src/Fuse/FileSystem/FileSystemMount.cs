using EsxiImport.Fuse.Connection;

namespace EsxiImport.Fuse.FileSystem;

/// <summary>Mounts an <see cref="IReadOnlyFileSystem{TNode, THandle}"/>: the adapter plus <see cref="FuseMount"/>.</summary>
public static class FileSystemMount
{
    public static Task<MountHandle> MountAsync<TNode, THandle>(
        IReadOnlyFileSystem<TNode, THandle> fileSystem,
        string mountPoint,
        FileSystemOptions? fileSystemOptions = null,
        FuseMountOptions? mountOptions = null,
        CancellationToken cancellationToken = default)
        where TNode : class
    {
        var adapter = new ReadOnlyFileSystemAdapter<TNode, THandle>(fileSystem, fileSystemOptions);
        return FuseMount.MountAsync(mountPoint, adapter, mountOptions, cancellationToken);
    }
}
