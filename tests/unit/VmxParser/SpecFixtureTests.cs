using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

using EsxiImport.Diagnostics;
using EsxiImport.TestSupport.Vmdk;
using EsxiImport.UnitTests.Support;
using EsxiImport.VmxParser.Descriptor;
using EsxiImport.VmxParser.Manifest;
using EsxiImport.VmxParser.Model;
using EsxiImport.VmxParser.Paths;
using EsxiImport.VmxParser.Syntax;

namespace EsxiImport.UnitTests.VmxParser;

/// <summary>
/// Runs every parser fixture under spec/vmx, spec/vmdk and spec/manifest (the convention is in
/// spec/README.md): adding a fixture adds a test case. With ACCEPT_FIXTURES=1 in the
/// environment the expected files are (re)written from the actual output instead — for
/// reviewing a new fixture, never for making a red test green unseen.
/// </summary>
public sealed class SpecFixtureTests
{
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static bool Accept => Environment.GetEnvironmentVariable("ACCEPT_FIXTURES") == "1";

    public static TheoryData<string> VmxCases() => Cases("vmx", "*.vmx");

    public static TheoryData<string> VmdkCases() => Cases("vmdk", "*.vmdk");

    public static TheoryData<string> ManifestCases()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(RepoPaths.Spec("manifest"), "*.json").Order(StringComparer.Ordinal))
        {
            if (!f.EndsWith(".expected.json", StringComparison.Ordinal))
            {
                data.Add(Path.GetFileNameWithoutExtension(f));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(VmxCases))]
    public void Vmx_fixture_parses_to_the_expected_model(string name)
    {
        var bytes = File.ReadAllBytes(RepoPaths.Spec("vmx", name + ".vmx"));
        var context = ManifestJson.Parse(File.ReadAllText(RepoPaths.Spec("vmx", "context.manifest.json")), "context.manifest.json");
        var doc = VmxDocument.Parse(bytes);
        var config = VmConfigReader.Read(doc);
        var vmx = new DatastoreLocation("ha-datacenter", "datastore1", $"{name}/{name}.vmx");
        var disks = new DiskPathResolver(context).ResolveDisks(config, vmx, out var warnings);
        Check(RepoPaths.Spec("vmx", name + ".json"), FixtureJson.Of(doc, config, disks, warnings));
    }

    [Theory]
    [MemberData(nameof(VmdkCases))]
    public void Vmdk_fixture_parses_to_the_expected_descriptor(string name)
    {
        var bytes = File.ReadAllBytes(RepoPaths.Spec("vmdk", name + ".vmdk"));
        var errorFile = RepoPaths.Spec("vmdk", name + ".error.txt");
        if (File.Exists(errorFile))
        {
            var act = () => VmdkReader.Read(bytes, name + ".vmdk");
            act.Should().Throw<ToolError>().Which.Message.Should().Be(File.ReadAllText(errorFile).TrimEnd('\n'));
            return;
        }

        var file = VmdkReader.Read(bytes, name + ".vmdk");
        Check(RepoPaths.Spec("vmdk", name + ".json"), FixtureJson.Of(file));
        if (file.Descriptor is { } d)
        {
            // Whatever a fixture holds, the writer must reproduce it.
            var again = VmdkReader.ParseDescriptor(VmdkDescriptorWriter.Render(d), name);
            again.Should().BeEquivalentTo(d with { Warnings = [] }, o => o.WithStrictOrdering());
        }
    }

    [Theory]
    [MemberData(nameof(ManifestCases))]
    public void Manifest_fixture_parses_or_fails_as_expected(string name)
    {
        var input = File.ReadAllText(RepoPaths.Spec("manifest", name + ".json"));
        var errorFile = RepoPaths.Spec("manifest", name + ".error.txt");
        if (File.Exists(errorFile) || (Accept && !File.Exists(RepoPaths.Spec("manifest", name + ".expected.json")) && Fails(input, name)))
        {
            var act = () => ManifestJson.Parse(input, name + ".json");
            var error = act.Should().Throw<ToolError>().Which;
            error.Kind.Should().Be(ErrorKind.InvalidInput);
            if (Accept)
            {
                File.WriteAllText(errorFile, error.Message + "\n");
                return;
            }

            error.Message.Should().Be(File.ReadAllText(errorFile).TrimEnd('\n'));
            return;
        }

        var expectedFile = RepoPaths.Spec("manifest", name + ".expected.json");
        var actual = ManifestJson.Serialize(ManifestJson.Parse(input, name + ".json")) + "\n";
        if (Accept)
        {
            File.WriteAllText(expectedFile, actual);
            return;
        }

        actual.Should().Be(File.ReadAllText(expectedFile));
    }

    [Fact]
    public void Every_fixture_folder_holds_cases()
    {
        VmxCases().Should().HaveCountGreaterThan(10);
        VmdkCases().Should().HaveCountGreaterThan(5);
        ManifestCases().Should().HaveCountGreaterThan(4);
    }

    private static bool Fails(string input, string name)
    {
        try
        {
            ManifestJson.Parse(input, name + ".json");
            return false;
        }
        catch (ToolError)
        {
            return true;
        }
    }

    private static TheoryData<string> Cases(string folder, string pattern)
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(RepoPaths.Spec(folder), pattern).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(f));
        }

        return data;
    }

    private static void Check(string expectedFile, JsonObject actual)
    {
        if (Accept)
        {
            File.WriteAllText(expectedFile, actual.ToJsonString(Pretty) + "\n", new UTF8Encoding(false));
            return;
        }

        var expected = JsonNode.Parse(File.ReadAllText(expectedFile));
        JsonNode.DeepEquals(expected, actual).Should().BeTrue(
            "{0} should match; actual:\n{1}", Path.GetFileName(expectedFile), actual.ToJsonString(Pretty));
    }
}
