using EsxiImport.Fuse.Connection;
using EsxiImport.Fuse.FileSystem;
using EsxiImport.FuseTestHost;

namespace EsxiImport.IntegrationTests.Fuse;

/// <summary>
/// A real kernel mount of the generated file system in a fresh directory under /tmp. Disposing
/// unmounts (lazily, with a time budget), detaches whatever might be left in a finally, kills the
/// processes the test started and removes the directory, even when the test failed.
/// </summary>
public sealed class GeneratedMount : IAsyncDisposable
{
    private readonly List<(FuseLogLevel Level, string Message, Exception? Error)> _log = [];

    private GeneratedMount(string directory, GeneratedFileSystem fs, ReadOnlyFileSystemAdapter<GenNode, GenNode> adapter)
    {
        Directory = directory;
        FileSystem = fs;
        Adapter = adapter;
    }

    public string Directory { get; }

    public string MountPoint => Path.Combine(Directory, "mnt");

    public GeneratedFileSystem FileSystem { get; }

    public ReadOnlyFileSystemAdapter<GenNode, GenNode> Adapter { get; }

    public MountHandle Handle { get; private set; } = null!;

    public ProcessRunner Processes { get; } = new();

    public IReadOnlyList<(FuseLogLevel Level, string Message, Exception? Error)> Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToList();
            }
        }
    }

    public IEnumerable<string> Errors => Log.Where(l => l.Level == FuseLogLevel.Error).Select(l => l.Message + (l.Error is null ? string.Empty : ": " + l.Error.Message));

    public string PathOf(string relative) => Path.Combine(MountPoint, relative);

    public static async Task<GeneratedMount> CreateAsync(GeneratedFileSystem? fs = null, FuseMountOptions? options = null, string? directory = null)
    {
        fs ??= new GeneratedFileSystem();
        directory ??= System.IO.Directory.CreateTempSubdirectory("esxi-fuse-it-").FullName;
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "mnt"));
        GeneratedMount? mount = null;
        var fileSystemOptions = new FileSystemOptions { Logger = (l, m, e) => mount?.Add(l, m, e) };
        var adapter = new ReadOnlyFileSystemAdapter<GenNode, GenNode>(fs, fileSystemOptions);
        mount = new GeneratedMount(directory, fs, adapter);
        options = GeneratedFileSystem.MountOptions(options ?? new FuseMountOptions());
        options = options with { Server = options.Server with { Logger = mount.Add } };
        try
        {
            mount.Handle = await FuseMount.MountAsync(mount.MountPoint, adapter, options);
        }
        catch
        {
            mount.CleanUp();
            throw;
        }

        return mount;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            Processes.Dispose();
            if (Handle is not null)
            {
                await Handle.UnmountAsync(TimeSpan.FromSeconds(5));
            }
        }
        finally
        {
            CleanUp();
        }
    }

    private void CleanUp()
    {
        Processes.Dispose();
        try
        {
            StaleMount.Detach(MountPoint);
        }
        finally
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
                // Still busy: a mount that could not be detached keeps its directory.
            }
        }
    }

    private void Add(FuseLogLevel level, string message, Exception? error)
    {
        lock (_log)
        {
            _log.Add((level, message, error));
        }
    }
}
