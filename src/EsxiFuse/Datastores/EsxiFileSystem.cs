using System.Buffers;

using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Esxi;
using EsxiImport.Fuse.FileSystem;
using EsxiImport.Fuse.Protocol;

namespace EsxiImport.EsxiFuse.Datastores;

/// <summary>
/// The datastores of one ESXi host as a read-only file system: directories 0555, files 0444,
/// names byte-exact as the host has them. The kernel may ask before the host connection exists
/// (the mount comes first, as upstream orders it); such requests wait for it.
/// </summary>
/// <param name="tree">The tree the manifest gives.</param>
/// <param name="missingNameTimeout">How long a 404 is remembered (<see cref="MissingNameTimeout"/> unless a test says otherwise).</param>
internal sealed class EsxiFileSystem(RemoteTree tree, TimeSpan? missingNameTimeout = null) : IReadOnlyFileSystem<TreeNode, FileNode>, IReadLendingFileSystem<TreeNode, FileNode>
{
    /// <summary>
    /// How long a name the host answered 404 for stays missing without asking again: here, and
    /// in the kernel as a negative entry. Long enough that a storm of lookups (any local user can
    /// cause one with allow_other) costs one request per name and period, short enough that a
    /// file created on the host shows up within seconds.
    /// </summary>
    public static readonly TimeSpan MissingNameTimeout = TimeSpan.FromSeconds(5);

    private const uint DirectoryMode = 0b101_101_101;
    private const uint FileMode = 0b100_100_100;

    private readonly TaskCompletionSource<HostConnection> _host = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly DateTimeOffset _mounted = DateTimeOffset.UtcNow;

    public TreeNode Root => tree.Root;

    public RemoteTree Tree => tree;

    /// <summary>Hands the connected host to requests that are waiting for it.</summary>
    public void Connected(HostConnection host) => _host.TrySetResult(host);

    /// <summary>Fails the requests that wait for the host, and any later ones, with EIO: the connection will not come.</summary>
    public void ConnectFailed(string host) =>
        _host.TrySetException(ToolError.OfErrno("esxi-folder-fuse.fs.not-connected", Errno.EIO, ("host", host)));

    public async ValueTask<FsEntry<TreeNode>?> LookupAsync(TreeNode directory, string name, CancellationToken cancellationToken)
    {
        if (directory is not DirectoryNode dir)
        {
            throw ToolError.OfErrno("esxi-folder-fuse.fs.not-a-directory", Errno.ENOTDIR, ("name", name));
        }

        var node = dir.Child(name);
        if (dir.IsKnownMissing(name, Environment.TickCount64))
        {
            return null;
        }

        try
        {
            if (node is null && dir.Level != DirectoryLevel.Root)
            {
                node = await DiscoverAsync(dir, name, cancellationToken).ConfigureAwait(false);
            }

            if (node is FileNode { Size: null } unknown)
            {
                node = await LearnAsync(dir, unknown, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ToolError e) when (e.Kind == ErrorKind.NotFound)
        {
            // Only a real 404 is remembered; any other failure is thrown (EIO) and forgotten.
            var now = Environment.TickCount64;
            dir.RememberMissing(name, now, now + (long)(missingNameTimeout ?? MissingNameTimeout).TotalMilliseconds);
            return null;
        }

        if (node is null)
        {
            return null;
        }

        return new FsEntry<TreeNode>(node, node is FileNode file ? FileAttributes(file.Size!.Value) : DirectoryAttributes());
    }

    public ValueTask<FsAttributes> GetAttributesAsync(TreeNode node, CancellationToken cancellationToken) =>
        node is FileNode file ? FileAttributesAsync(file, cancellationToken) : ValueTask.FromResult(DirectoryAttributes());

    public ValueTask<IReadOnlyList<FsDirectoryEntry<TreeNode>>> ReadDirectoryAsync(TreeNode directory, CancellationToken cancellationToken)
    {
        if (directory is not DirectoryNode dir)
        {
            throw ToolError.OfErrno("esxi-folder-fuse.fs.not-a-directory", Errno.ENOTDIR, ("name", directory.Name));
        }

        IReadOnlyList<FsDirectoryEntry<TreeNode>> entries = dir.Children
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .Select(n => n switch
            {
                FileNode { Size: { } size } f => new FsDirectoryEntry<TreeNode>(f.Name, FsNodeKind.RegularFile, new FsEntry<TreeNode>(f, FileAttributes(size))),
                FileNode f => new FsDirectoryEntry<TreeNode>(f.Name, FsNodeKind.RegularFile),
                _ => new FsDirectoryEntry<TreeNode>(n.Name, FsNodeKind.Directory, new FsEntry<TreeNode>(n, DirectoryAttributes())),
            })
            .ToList();
        return ValueTask.FromResult(entries);
    }

    public async ValueTask<FsOpenResult<FileNode>> OpenAsync(TreeNode file, CancellationToken cancellationToken)
    {
        if (file is not FileNode f)
        {
            throw ToolError.OfErrno("esxi-folder-fuse.fs.is-a-directory", Errno.EISDIR, ("name", file.Name));
        }

        await FileAttributesAsync(f, cancellationToken).ConfigureAwait(false);

        // Datastore files do not change while they are imported, so the kernel may keep their pages.
        return new FsOpenResult<FileNode>(f, FsCacheMode.KeepCache);
    }

    public async ValueTask<int> ReadAsync(TreeNode file, FileNode handle, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        using var loan = await LendAsync(file, handle, offset, destination.Length, cancellationToken).ConfigureAwait(false);
        loan.Data.CopyTo(destination.Span);
        return (int)loan.Data.Length;
    }

    public async ValueTask<FsReadLoan> LendAsync(TreeNode file, FileNode handle, long offset, int length, CancellationToken cancellationToken)
    {
        var size = handle.Size ?? (await FileAttributesAsync(handle, cancellationToken).ConfigureAwait(false)).Size;
        if (offset >= size)
        {
            return new FsReadLoan(ReadOnlySequence<byte>.Empty, null);
        }

        length = (int)Math.Min(length, size - offset);
        var host = await HostAsync(cancellationToken).ConfigureAwait(false);
        var loan = await host.Cache.LendAsync(handle.Remote, size, offset, length, cancellationToken).ConfigureAwait(false);
        return new FsReadLoan(loan.Data, loan);
    }

    public ValueTask ReleaseAsync(TreeNode file, FileNode handle) => ValueTask.CompletedTask;

    public ValueTask<FsStatistics> GetStatisticsAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(new FsStatistics { NameMax = 255 });

    /// <summary>
    /// Asks the host about a name the tree does not know: below a datacenter a datastore that
    /// the manifest did not list (FB-20), below a datastore or folder a file or folder. Only a
    /// real 404 means "no such name" (thrown as NotFound); any other failure is thrown (EIO) and
    /// nothing is stored.
    /// </summary>
    private async ValueTask<TreeNode?> DiscoverAsync(DirectoryNode dir, string name, CancellationToken cancellationToken)
    {
        var host = await HostAsync(cancellationToken).ConfigureAwait(false);
        var remote = dir.Level == DirectoryLevel.Datacenter
            ? new RemotePath(dir.Datacenter, name, string.Empty)
            : dir.ChildPath(name);
        var entry = await host.Client.StatAsync(remote, cancellationToken).ConfigureAwait(false);
        if (dir.Level == DirectoryLevel.Datacenter)
        {
            return entry.Kind == RemoteEntryKind.Directory
                ? dir.Add(new DirectoryNode(name, DirectoryLevel.Datastore, dir.Datacenter, name, string.Empty))
                : null;
        }

        if (entry.Kind == RemoteEntryKind.File)
        {
            var file = new FileNode(name, remote);
            file.SetSize(entry.Size);
            return dir.Add(file);
        }

        return dir.Add(new DirectoryNode(name, DirectoryLevel.Folder, dir.Datacenter, dir.Datastore, remote.Path));
    }

    /// <summary>
    /// A name from the manifest whose size is not known yet: the host says what it is. If it is a
    /// folder after all, the tree is corrected and the folder returned.
    /// </summary>
    private async ValueTask<TreeNode> LearnAsync(DirectoryNode parent, FileNode file, CancellationToken cancellationToken)
    {
        var host = await HostAsync(cancellationToken).ConfigureAwait(false);
        var entry = await host.Client.StatAsync(file.Remote, cancellationToken).ConfigureAwait(false);
        if (entry.Kind == RemoteEntryKind.Directory)
        {
            return parent.Replace(file, new DirectoryNode(file.Name, DirectoryLevel.Folder, file.Remote.Datacenter, file.Remote.Datastore, file.Remote.Path));
        }

        file.SetSize(entry.Size);
        return file;
    }

    private async ValueTask<FsAttributes> FileAttributesAsync(FileNode file, CancellationToken cancellationToken)
    {
        if (file.Size is { } size)
        {
            return FileAttributes(size);
        }

        var host = await HostAsync(cancellationToken).ConfigureAwait(false);
        var entry = await host.Client.StatAsync(file.Remote, cancellationToken).ConfigureAwait(false);
        if (entry.Kind == RemoteEntryKind.Directory)
        {
            throw ToolError.OfErrno("esxi-folder-fuse.fs.is-a-directory", Errno.EISDIR, ("name", file.Name));
        }

        file.SetSize(entry.Size);
        return FileAttributes(entry.Size);
    }

    private FsAttributes DirectoryAttributes() => FsAttributes.Directory(_mounted, DirectoryMode);

    private FsAttributes FileAttributes(long size) => FsAttributes.File(size, _mounted, FileMode);

    private Task<HostConnection> HostAsync(CancellationToken cancellationToken) => _host.Task.WaitAsync(cancellationToken);
}
