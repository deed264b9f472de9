namespace EsxiImport.UnitTests.Support;

/// <summary>Finds the repository root (the folder holding EsxiImport.slnx) from the test's base directory.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootDir = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EsxiImport.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("EsxiImport.slnx not found above " + AppContext.BaseDirectory);
    });

    public static string Root => RootDir.Value;

    public static string Spec(params string[] parts) => Path.Combine([Root, "spec", .. parts]);

    public static string Src(params string[] parts) => Path.Combine([Root, "src", .. parts]);

    /// <summary>tests/Support: code that only tests use (the plugin's launch protocol).</summary>
    public static string TestSupport(params string[] parts) => Path.Combine([Root, "tests", "Support", .. parts]);
}
