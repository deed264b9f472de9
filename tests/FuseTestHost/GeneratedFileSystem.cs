using EsxiImport.Diagnostics;
using EsxiImport.Fuse.Connection;
using EsxiImport.Fuse.FileSystem;

namespace EsxiImport.FuseTestHost;

/// <summary>How a generated file behaves when read.</summary>
public enum ReadBehaviour
{
    /// <summary>Pattern bytes.</summary>
    Normal,

    /// <summary>Pattern bytes, at most 1000 per call: the layer must ask again.</summary>
    Dribble,

    /// <summary>Every read throws (the caller gets EIO).</summary>
    Throw,

    /// <summary>Every read throws a ToolError of kind Timeout (mapped to EIO).</summary>
    ToolErrorTimeout,

    /// <summary>Every read waits until cancelled (interrupt or unmount).</summary>
    Hang,

    /// <summary>Every read waits <see cref="GeneratedFileSystem.SlowReadDelay"/>, then returns pattern bytes.</summary>
    Slow,

    /// <summary>Reports its size but ends at half of it (the layer must answer EIO, not a short read).</summary>
    EndsEarly,
}

/// <summary>A node of the generated tree.</summary>
public sealed class GenNode
{
    public required string Name { get; init; }

    public required FsAttributes Attributes { get; init; }

    public int Seed { get; init; }

    public ReadBehaviour Behaviour { get; init; }

    /// <summary>A per-file cache choice; null uses the file system's default.</summary>
    public FsCacheMode? CacheMode { get; init; }

    public List<GenNode> Children { get; } = [];

    public bool IsDirectory => Attributes.Kind == FsNodeKind.Directory;
}

/// <summary>
/// A read-only tree with generated content: <c>vm/disk-flat.vmdk</c> (configurable size),
/// <c>vm/small.txt</c>, <c>vm/empty.bin</c>, <c>many/</c> with 300 files (directory paging),
/// and <c>faults/</c> with one file per <see cref="ReadBehaviour"/>.
/// </summary>
public sealed class GeneratedFileSystem : IReadOnlyFileSystem<GenNode, GenNode>
{
    public static readonly DateTimeOffset Time = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The name generated mounts show in the mount table: the tool's, so they read like its mounts.</summary>
    public const string MountName = "esxi-folder-fuse";

    /// <summary>Readahead of generated mounts: 16 MiB, what the tool asks for its disks.</summary>
    public const int ReadAheadBytes = 16 << 20;

    /// <summary><paramref name="options"/> with the generated mounts' name, and their readahead where none is set.</summary>
    public static FuseMountOptions MountOptions(FuseMountOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options with
        {
            Source = MountName,
            Subtype = MountName,
            ReadAheadKb = options.ReadAheadKb ?? (ReadAheadBytes / 1024),
            Server = options.Server with { MaxReadahead = options.Server.MaxReadahead ?? ReadAheadBytes },
        };
    }

    private int _openFiles;
    private int _readCalls;
    private int _cancelledReads;

    public GeneratedFileSystem(long diskSize = 8 * 1024 * 1024, FsCacheMode cacheMode = FsCacheMode.KeepCache, int manyFiles = 300)
    {
        CacheMode = cacheMode;
        Root = Dir(string.Empty);
        var vm = Dir("vm");
        vm.Children.Add(File("disk-flat.vmdk", diskSize, 7));
        vm.Children.Add(File("small.txt", 10_000, 11));
        vm.Children.Add(File("empty.bin", 0, 13));
        var many = Dir("many");
        for (var i = 0; i < manyFiles; i++)
        {
            many.Children.Add(File($"file-{i:D3}-with-a-longer-name.bin", 100 + i, i));
        }

        var faults = Dir("faults");
        faults.Children.Add(File("dribble.bin", 3 * 1024 * 1024 + 123, 17, ReadBehaviour.Dribble));
        faults.Children.Add(File("throws.bin", 1 << 20, 19, ReadBehaviour.Throw));
        faults.Children.Add(File("timeout.bin", 1 << 20, 19, ReadBehaviour.ToolErrorTimeout));
        faults.Children.Add(File("hangs.bin", 1 << 20, 23, ReadBehaviour.Hang));
        faults.Children.Add(File("slow.bin", 1 << 20, 29, ReadBehaviour.Slow));
        faults.Children.Add(File("ends-early.bin", 1 << 20, 31, ReadBehaviour.EndsEarly));
        Root.Children.AddRange([vm, many, faults]);
    }

    public GenNode Root { get; }

    public FsCacheMode CacheMode { get; set; }

    public TimeSpan SlowReadDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Files opened and not yet released.</summary>
    public int OpenFiles => Volatile.Read(ref _openFiles);

    public int ReadCalls => Volatile.Read(ref _readCalls);

    /// <summary>Hanging reads that ended because their token was cancelled (interrupt or unmount).</summary>
    public int CancelledReads => Volatile.Read(ref _cancelledReads);

    /// <summary>Completed each time a Hang or Slow read starts, so a test knows the request is in flight.</summary>
    public event Action<GenNode>? ReadStarted;

    public GenNode Find(string path)
    {
        var node = Root;
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node.Children.Single(c => c.Name == part);
        }

        return node;
    }

    public ValueTask<FsEntry<GenNode>?> LookupAsync(GenNode directory, string name, CancellationToken cancellationToken)
    {
        var child = directory.Children.FirstOrDefault(c => c.Name == name);
        return ValueTask.FromResult(child is null ? null : new FsEntry<GenNode>(child, child.Attributes));
    }

    public ValueTask<FsAttributes> GetAttributesAsync(GenNode node, CancellationToken cancellationToken) =>
        ValueTask.FromResult(node.Attributes);

    public ValueTask<IReadOnlyList<FsDirectoryEntry<GenNode>>> ReadDirectoryAsync(GenNode directory, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<FsDirectoryEntry<GenNode>>>(
            directory.Children.Select(c => new FsDirectoryEntry<GenNode>(c.Name, c.Attributes.Kind, new FsEntry<GenNode>(c, c.Attributes))).ToList());

    public ValueTask<FsOpenResult<GenNode>> OpenAsync(GenNode file, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _openFiles);
        return ValueTask.FromResult(new FsOpenResult<GenNode>(file, file.CacheMode ?? CacheMode));
    }

    public async ValueTask<int> ReadAsync(GenNode file, GenNode handle, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _readCalls);
        var size = file.Attributes.Size;
        switch (file.Behaviour)
        {
            case ReadBehaviour.Throw:
                throw new InvalidOperationException("generated failure of " + file.Name);
            case ReadBehaviour.ToolErrorTimeout:
                throw ToolError.Wrap(new TimeoutException("generated timeout"), "fuse.mount.init-timeout", ErrorKind.Timeout, ("mountpoint", file.Name), ("seconds", 0));
            case ReadBehaviour.Hang:
                ReadStarted?.Invoke(file);
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref _cancelledReads);
                    throw;
                }

                break;
            case ReadBehaviour.Slow:
                ReadStarted?.Invoke(file);
                await Task.Delay(SlowReadDelay, CancellationToken.None).ConfigureAwait(false);
                break;
            case ReadBehaviour.EndsEarly:
                size /= 2;
                break;
        }

        if (offset >= size)
        {
            return 0;
        }

        var count = (int)Math.Min(destination.Length, size - offset);
        if (file.Behaviour == ReadBehaviour.Dribble)
        {
            count = Math.Min(count, 1000);
        }

        Pattern.Fill(destination.Span[..count], offset, file.Seed);
        return count;
    }

    public ValueTask ReleaseAsync(GenNode file, GenNode handle)
    {
        Interlocked.Decrement(ref _openFiles);
        return ValueTask.CompletedTask;
    }

    public ValueTask<FsStatistics> GetStatisticsAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(new FsStatistics { Blocks = 1000, BlockSize = 4096, Files = 400 });

    private static GenNode Dir(string name) => new() { Name = name, Attributes = FsAttributes.Directory(Time) };

    // Fault files use direct I/O: their READs are then synchronous, so a signal to the reader
    // interrupts them (page-cache readahead READs are background requests and are not).
    private static GenNode File(string name, long size, int seed, ReadBehaviour behaviour = ReadBehaviour.Normal) =>
        new()
        {
            Name = name,
            Attributes = FsAttributes.File(size, Time),
            Seed = seed,
            Behaviour = behaviour,
            CacheMode = behaviour is ReadBehaviour.Normal or ReadBehaviour.Dribble ? null : FsCacheMode.DirectIo,
        };
}
