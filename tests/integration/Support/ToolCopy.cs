namespace EsxiImport.IntegrationTests.Support;

/// <summary>
/// A copy of the tool's framework-dependent build output (the executable, its dll and the
/// libraries next to it) in a temporary folder of its own, removed on dispose. A test that runs
/// the tool as nobody uses a world-readable copy, so it passes wherever the repository is cloned
/// (a clone under /root, or in a <c>mktemp -d</c> folder, is unreadable to nobody); the test of
/// the privilege drop uses a copy only root may enter, as such a clone is.
/// </summary>
public sealed class ToolCopy : IDisposable
{
    private ToolCopy(string directory) => Directory = directory;

    public string Directory { get; }

    public string ToolPath => Path.Combine(Directory, "esxi-folder-fuse");

    /// <summary>The tool's own build output (never the instrumented copy next to the tests).</summary>
    public static string BuildOutput
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Debug";
            return Path.Combine(Plugin.ToolUnderTest.RepoRoot(), "src", "EsxiFuse", "bin", configuration, "net10.0");
        }
    }

    /// <summary>Copies the build output into a new temporary folder, readable by everyone or by root alone.</summary>
    public static ToolCopy Create(bool worldReadable)
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("esxi-tool-copy-").FullName;
        foreach (var file in System.IO.Directory.EnumerateFiles(BuildOutput))
        {
            File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dir, worldReadable ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b111_000_000);
        }

        return new ToolCopy(dir);
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
