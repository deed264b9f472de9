using System.Text;

using EsxiImport.Fuse.FileSystem;

namespace EsxiImport.UnitTests.Fuse;

/// <summary>
/// The tiny file system behind the spec/fuse goldens (described at the top of
/// spec/fuse/make-fixtures.py): /vm/disk.img holding "hello, fuse!\n".
/// </summary>
public sealed class GoldenFileSystem : IReadOnlyFileSystem<string, string>
{
    public static readonly DateTimeOffset Time = DateTimeOffset.FromUnixTimeSeconds(1714564800);
    public static readonly byte[] Content = Encoding.ASCII.GetBytes("hello, fuse!\n");

    public string Root => "/";

    public List<string> Released { get; } = [];

    private static FsAttributes AttributesOf(string path) =>
        path == "/vm/disk.img" ? FsAttributes.File(Content.Length, Time) : FsAttributes.Directory(Time);

    public ValueTask<FsEntry<string>?> LookupAsync(string directory, string name, CancellationToken cancellationToken)
    {
        var path = (directory == "/" ? "/" : directory + "/") + name;
        var exists = path is "/vm" or "/vm/disk.img";
        return ValueTask.FromResult(exists ? new FsEntry<string>(path, AttributesOf(path)) : null);
    }

    public ValueTask<FsAttributes> GetAttributesAsync(string node, CancellationToken cancellationToken) => ValueTask.FromResult(AttributesOf(node));

    public ValueTask<IReadOnlyList<FsDirectoryEntry<string>>> ReadDirectoryAsync(string directory, CancellationToken cancellationToken)
    {
        IReadOnlyList<FsDirectoryEntry<string>> entries = directory == "/"
            ? [new("vm", FsNodeKind.Directory, new FsEntry<string>("/vm", AttributesOf("/vm")))]
            : [new("disk.img", FsNodeKind.RegularFile, new FsEntry<string>("/vm/disk.img", AttributesOf("/vm/disk.img")))];
        return ValueTask.FromResult(entries);
    }

    public ValueTask<FsOpenResult<string>> OpenAsync(string file, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new FsOpenResult<string>(file, FsCacheMode.KeepCache));

    public ValueTask<int> ReadAsync(string file, string handle, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (offset >= Content.Length)
        {
            return ValueTask.FromResult(0);
        }

        var n = (int)Math.Min(destination.Length, Content.Length - offset);
        Content.AsSpan((int)offset, n).CopyTo(destination.Span);
        return ValueTask.FromResult(n);
    }

    public ValueTask ReleaseAsync(string file, string handle)
    {
        lock (Released)
        {
            Released.Add(file);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<FsStatistics> GetStatisticsAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(new FsStatistics { Blocks = 1000, Files = 3, BlockSize = 4096, NameMax = 255 });
}
