using System.Xml.Linq;

using EsxiImport.IntegrationTests.Plugin;
using EsxiImport.IntegrationTests.Support;

namespace EsxiImport.IntegrationTests.Packaging;

/// <summary>
/// One version, defined in Directory.Build.props: every program prints it for -v and --version
/// (stdout, exit 0), the number the Debian package carries (scripts/package-deb.sh reads the
/// same property).
/// </summary>
public sealed class ProgramVersionTests
{
    public static TheoryData<string, string> Programs => new()
    {
        { "esxi-folder-fuse", "-v" },
        { "esxi-folder-fuse", "--version" },
        { "esxi-listvms", "-v" },
        { "esxi-listvms", "--version" },
        { "esxi-emulator", "-v" },
        { "esxi-emulator", "--version" },
    };

    private static string DefinedVersion() =>
        XDocument.Load(Path.Combine(ToolUnderTest.RepoRoot(), "Directory.Build.props"))
            .Descendants("Version").Single().Value;

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task Every_program_prints_the_one_version(string program, string option)
    {
        var (exit, stdout, stderr) = await ChildProcess.RunAsync(Path.Combine(AppContext.BaseDirectory, program), [option]);
        (exit, System.Text.Encoding.UTF8.GetString(stdout), stderr).Should().Be((0, DefinedVersion() + "\n", string.Empty));
    }
}
