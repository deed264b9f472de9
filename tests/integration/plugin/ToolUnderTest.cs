namespace EsxiImport.IntegrationTests.Plugin;

/// <summary>Where the built tool and the Perl harness are (the golden cases and the harness runner use them).</summary>
public static class ToolUnderTest
{
    /// <summary>
    /// The tool under test: the executable named by <c>ESXI_FUSE_TEST_TOOL</c> (e.g. the NativeAOT
    /// build of scripts/publish.sh), else the tool's own build output of the same configuration.
    /// Not the copy next to the tests: under coverage that copy is instrumented, and it writes its
    /// hits to /tmp when it exits, which fails (and crashes the tool) once it has dropped to nobody.
    /// </summary>
    public static string ToolPath
    {
        get
        {
            if (Environment.GetEnvironmentVariable("ESXI_FUSE_TEST_TOOL") is { Length: > 0 } tool)
            {
                return tool;
            }

            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Debug";
            var own = Path.Combine(RepoRoot(), "src", "EsxiFuse", "bin", configuration, "net10.0", "esxi-folder-fuse");
            return File.Exists(own) ? own : Path.Combine(AppContext.BaseDirectory, "esxi-folder-fuse");
        }
    }

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
