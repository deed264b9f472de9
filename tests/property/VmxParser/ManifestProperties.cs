using EsxiImport.VmxParser.Manifest;

using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

using ManifestModel = EsxiImport.VmxParser.Manifest.Manifest;

namespace EsxiImport.PropertyTests.VmxParser;

/// <summary>Generated manifests survive serialize → parse with every name, value and key order intact.</summary>
public sealed class ManifestProperties
{
    private const string Alphabet = "ab Z9_-./\\\"'[]{}:,\n\t\u0001äß日本😀";

    private static Gen<string> Text(int max) => VmxGenerators.TextIn(Alphabet, max);

    private static Gen<ManifestDisk> Disk() =>
        from ds in Text(8)
        from path in Text(12)
        from capacity in Gen.Choose(0, int.MaxValue).Select(c => (long)c * 4096)
        select new ManifestDisk(ds, path, capacity);

    private static Gen<ManifestVm> Vm() =>
        from ds in Text(8)
        from path in Text(12)
        from checksum in Gen.Elements("N/A", "0011aabbccddeeff", string.Empty)
        from disks in Disk().ListOf(3)
        from power in Gen.Elements<string?>(null, "poweredOn", "poweredOff", "suspended")
        select new ManifestVm(new ManifestConfig(ds, path, checksum), disks.ToList(), power);

    private static Gen<IReadOnlyDictionary<string, T>> Map<T>(Gen<T> values, int max) =>
        from pairs in Gen.Zip(Text(10), values).ListOf(max)
        select (IReadOnlyDictionary<string, T>)pairs
            .DistinctBy(p => p.Item1)
            .Aggregate(new OrderedDictionary<string, T>(StringComparer.Ordinal), (d, p) =>
            {
                d.Add(p.Item1, p.Item2);
                return d;
            });

    private static Gen<ManifestModel> Manifests() =>
        Map(
            from stores in Map(Text(20), 4)
            from vms in Map(Vm(), 4)
            select new ManifestDatacenter(stores, vms),
            3).Select(dcs => new ManifestModel(dcs));

    [Property(MaxTest = 1000)]
    public Property Serialize_then_parse_gives_the_same_manifest() =>
        Prop.ForAll(Arb.From(Manifests()), manifest =>
        {
            var text = ManifestJson.Serialize(manifest);
            var back = ManifestJson.Parse(text, "m.json");
            back.Datacenters.Keys.Should().Equal(manifest.Datacenters.Keys);
            foreach (var (name, dc) in manifest.Datacenters)
            {
                var other = back.Datacenters[name];
                other.Datastores.Should().Equal(dc.Datastores);
                other.Vms.Keys.Should().Equal(dc.Vms.Keys);
                foreach (var (vmName, vm) in dc.Vms)
                {
                    other.Vms[vmName].Config.Should().Be(vm.Config);
                    other.Vms[vmName].Disks.Should().Equal(vm.Disks);
                    other.Vms[vmName].Power.Should().Be(vm.Power);
                }
            }

            ManifestJson.Serialize(back).Should().Be(text);
        });
}
