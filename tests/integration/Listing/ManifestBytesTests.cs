using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

using EsxiImport.Emulator.Inventory;
using EsxiImport.Emulator.Scenarios;
using EsxiImport.IntegrationTests.Support;
using EsxiImport.TestSupport.Emulator;
using EsxiImport.VmxParser.Manifest;

namespace EsxiImport.IntegrationTests.Listing;

/// <summary>
/// The listing's stdout against two peers we did not write: Python's <c>json.dump(indent=2)</c>
/// (listvms.py's bytes, from the same data) and Perl's <c>from_json</c> (how ESXiPlugin.pm reads
/// the listing). Names beyond ASCII must reach the plugin as the host spelled them.
/// </summary>
public sealed class ManifestBytesTests
{
    private static readonly string ListingTool = Path.Combine(AppContext.BaseDirectory, "esxi-listvms");
    private static readonly string DumpScript = Path.Combine(AppContext.BaseDirectory, "Listing", "listvms_dump.py");
    private static readonly string DecodeScript = Path.Combine(AppContext.BaseDirectory, "Listing", "plugin_decode.pl");

    public static TheoryData<string> Scenarios => new() { "non-ascii", "default", "standard" };

    private static Scenario Load(string name) => name switch
    {
        "non-ascii" => ListingScenarios.NonAscii(),
        "default" => ScenarioLoader.LoadDefault(),
        _ => ListingScenarios.Standard(),
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task The_listing_writes_the_bytes_python_json_dump_writes_for_the_same_data(string name)
    {
        var scenario = Load(name);
        await using var host = await SdkTestHost.StartAsync(scenario);
        using var password = new TempFile(scenario.Users[0].Password);

        var listing = await ChildProcess.RunAsync(ListingTool, ListingArgs(host, password.Path));
        listing.Exit.Should().Be(0, listing.Stderr);

        var python = await PythonDumpAsync([ExpectedManifest.From(scenario)]);
        listing.Stdout.Should().Equal(Encoding.ASCII.GetBytes(python[0]), "our stdout must be listvms.py's bytes");
        listing.Stdout.Should().OnlyContain(b => b < 0x80);
        listing.Stdout[^1].Should().Be((byte)'}', "json.dump writes no line end");
    }

    [Fact]
    public async Task Random_manifests_are_written_as_python_writes_them()
    {
        var random = new Random(20261205);
        var manifests = Enumerable.Range(0, 300).Select(_ => RandomManifest(random)).ToList();
        var python = await PythonDumpAsync(manifests);
        for (var i = 0; i < manifests.Count; i++)
        {
            ManifestJson.Serialize(manifests[i]).Should().Be(python[i], "manifest {0} of the seeded set", i);
        }
    }

    [Fact]
    public async Task The_plugin_decodes_every_name_datastore_and_path_of_our_listing()
    {
        var scenario = ListingScenarios.NonAscii();
        await using var host = await SdkTestHost.StartAsync(scenario);
        using var password = new TempFile(ListingScenarios.Password);

        var decoded = await DecodeAsPluginAsync([ListingTool, .. ListingArgs(host, password.Path)]);
        decoded.Should().Equal(Records(ExpectedManifest.From(scenario)));
    }

    /// <summary>
    /// The same check on raw UTF-8 (what the listing wrote before) must fail, or the check above
    /// proves nothing: from_json reads each byte as a character, so every name grows.
    /// </summary>
    [Fact]
    public async Task Raw_utf8_output_does_not_survive_the_plugin()
    {
        var expected = ExpectedManifest.From(ListingScenarios.NonAscii());
        using var raw = new TempFile(JsonSerializer.Serialize(
            JsonDocument.Parse(ManifestJson.Serialize(expected)).RootElement,
            new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));

        var decoded = await DecodeAsPluginAsync(["/bin/cat", raw.Path]);
        var records = Records(expected);
        decoded.Should().HaveSameCount(records).And.NotEqual(records);
        decoded.Should().Contain(r => r.Contains("Ã\u009cn", StringComparison.Ordinal), "Ü came back as two characters");
    }

    private static string[] ListingArgs(SdkTestHost host, string passwordFile) =>
        ["--skip-cert-verification", "--port", host.Port.ToString(CultureInfo.InvariantCulture), "127.0.0.1", "root", passwordFile];

    /// <summary>The records plugin_decode.pl prints, from our model, in its order.</summary>
    private static List<string> Records(Manifest manifest)
    {
        static string Escape(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        static string Record(params string[] fields) => string.Join('\t', fields.Select(Escape));

        var lines = new List<string>();
        foreach (var (dc, datacenter) in manifest.Datacenters.OrderBy(p => p.Key, PerlOrder.Instance))
        {
            lines.Add(Record("datacenter", dc));
            foreach (var (name, vm) in datacenter.Vms.OrderBy(p => p.Key, PerlOrder.Instance))
            {
                lines.Add(Record("vm", dc, name, vm.Config.Datastore, vm.Config.Path));
                lines.AddRange(vm.Disks.Select(d => Record("disk", dc, name, d.Datastore, d.Path)));
            }

            lines.AddRange(datacenter.Datastores.OrderBy(p => p.Key, PerlOrder.Instance).Select(p => Record("datastore", dc, p.Key, p.Value)));
        }

        return lines;
    }

    private static async Task<List<string>> DecodeAsPluginAsync(string[] command)
    {
        var result = await ChildProcess.RunAsync("/usr/bin/perl", [DecodeScript, "--", .. command]);
        result.Exit.Should().Be(0, result.Stderr);
        return Encoding.UTF8.GetString(result.Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    /// <summary>listvms.py's json.dump of each manifest, built in Python from code units (listvms_dump.py).</summary>
    private static async Task<List<string>> PythonDumpAsync(IReadOnlyList<Manifest> manifests)
    {
        static int[] Units(string s) => s.Select(c => (int)c).ToArray();
        var carrier = manifests.Select(m => m.Datacenters.Select(dc => new object[]
        {
            Units(dc.Key),
            dc.Value.Vms.Select(vm => new object[]
            {
                Units(vm.Key),
                new[] { Units(vm.Value.Config.Datastore), Units(vm.Value.Config.Path), Units(vm.Value.Config.Checksum) },
                vm.Value.Disks.Select(d => new object[] { Units(d.Datastore), Units(d.Path), d.Capacity }).ToArray(),
                Units(vm.Value.Power ?? throw new InvalidOperationException("listvms.py always writes power")),
            }).ToArray(),
            dc.Value.Datastores.Select(ds => new object[] { Units(ds.Key), Units(ds.Value) }).ToArray(),
        }).ToArray()).ToArray();

        var result = await ChildProcess.RunAsync("/usr/bin/python3", [DumpScript], stdin: JsonSerializer.Serialize(carrier));
        result.Exit.Should().Be(0, result.Stderr);
        return JsonSerializer.Deserialize<List<string>>(result.Stdout)!;
    }

    private static Manifest RandomManifest(Random random)
    {
        // Characters that each take a different path through the escaping.
        string[] pieces = ["a", "Z", " ", "\"", "\\", "/", "\n", "\r", "\t", "\b", "\f", "\u0000", "\u001f", "\u007f", "\u0080", "é", "ß", "\u2028", "日本", "\uffff", "🚀", "\U0010FFFF", "'", "<>&", "{}[]:,", "~"];
        string Text(int max) => string.Concat(Enumerable.Range(0, random.Next(max + 1)).Select(_ => pieces[random.Next(pieces.Length)]));

        var datacenters = new Dictionary<string, ManifestDatacenter>();
        for (var d = random.Next(4); d > 0; d--)
        {
            var vms = new Dictionary<string, ManifestVm>();
            for (var v = random.Next(4); v > 0; v--)
            {
                var disks = Enumerable.Range(0, random.Next(3))
                    .Select(_ => new ManifestDisk(Text(3), Text(5), random.NextInt64(long.MaxValue)))
                    .ToList();
                vms.TryAdd(Text(4), new ManifestVm(new ManifestConfig(Text(3), Text(6), Text(2)), disks, Text(2)));
            }

            var datastores = new Dictionary<string, string>();
            for (var s = random.Next(3); s > 0; s--)
            {
                datastores.TryAdd(Text(3), Text(4));
            }

            datacenters.TryAdd(Text(3), new ManifestDatacenter(datastores, vms));
        }

        return new Manifest(datacenters);
    }

    /// <summary>Perl's <c>sort</c> of character strings: by code point, not by UTF-16 unit.</summary>
    private sealed class PerlOrder : IComparer<string>
    {
        public static readonly PerlOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            var a = (x ?? string.Empty).EnumerateRunes().GetEnumerator();
            var b = (y ?? string.Empty).EnumerateRunes().GetEnumerator();
            while (true)
            {
                var hasA = a.MoveNext();
                var hasB = b.MoveNext();
                if (!hasA || !hasB)
                {
                    return hasA.CompareTo(hasB);
                }

                var c = a.Current.Value.CompareTo(b.Current.Value);
                if (c != 0)
                {
                    return c;
                }
            }
        }
    }
}
