namespace EsxiImport.IntegrationTests.Plugin;

/// <summary>Where the built tool and the Perl harness are (the golden cases and the harness runner use them).</summary>
public static class ToolUnderTest
{
    public static string ToolPath => Path.Combine(AppContext.BaseDirectory, "esxi-folder-fuse");

    public static string HarnessPath => Path.Combine(RepoRoot(), "tests", "integration", "plugin", "esxi_mount_harness.pl");

    /// <summary>The folder with EsxiImport.slnx above the test binaries (spec/ and the harness live there).</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EsxiImport.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("EsxiImport.slnx not found above " + AppContext.BaseDirectory);
    }
}