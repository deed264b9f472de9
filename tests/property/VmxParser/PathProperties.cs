using EsxiImport.VmxParser.Manifest;
using EsxiImport.VmxParser.Paths;

using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

using ManifestModel = EsxiImport.VmxParser.Manifest.Manifest;

namespace EsxiImport.PropertyTests.VmxParser;

/// <summary>
/// For generated inventories (datastore names with spaces, brackets and non-ASCII; URLs with
/// and without trailing slash or ds:// scheme), every <c>/vmfs/volumes/&lt;uuid&gt;/…</c> and
/// <c>/vmfs/volumes/&lt;name&gt;/…</c> path resolves back to the datastore and path it was made
/// from, and so does the <c>[ds] path</c> form.
/// </summary>
public sealed class PathProperties
{
    private const string NameAlphabet = "abcXYZ09 _-.[]()äß日本";

    private sealed record Inventory(ManifestModel Manifest, List<(string Dc, string Name, string Uuid)> Stores);

    private static Gen<Inventory> Inventories() =>
        from count in Gen.Choose(1, 6)
        from names in VmxGenerators.TextIn(NameAlphabet, 10).Where(n => n.Length > 0 && n.Trim() == n && !n.Contains('/', StringComparison.Ordinal)).ArrayOf(count)
        from uuids in Gen.Choose(0, int.MaxValue).ArrayOf(count)
        from dcs in Gen.Elements("ha-datacenter", "dc 2").ArrayOf(count)
        from styles in Gen.Choose(0, 2).ArrayOf(count)
        select Build(names, uuids, dcs, styles);

    private static Inventory Build(string[] names, int[] uuids, string[] dcs, int[] styles)
    {
        var stores = new List<(string Dc, string Name, string Uuid)>();
        var datacenters = new Dictionary<string, Dictionary<string, string>>();
        for (var i = 0; i < names.Length; i++)
        {
            // Names are prefixed so no name equals any volume id, and made unique per inventory.
            var name = $"ds{i} {names[i]}";
            var uuid = $"{uuids[i]:x8}-{i:x8}-0000-000c29{i:x6}";
            var url = styles[i] switch
            {
                0 => $"/vmfs/volumes/{uuid}/",
                1 => $"/vmfs/volumes/{uuid}",
                _ => $"ds:///vmfs/volumes/{uuid}/",
            };
            if (!datacenters.TryGetValue(dcs[i], out var map))
            {
                datacenters[dcs[i]] = map = [];
            }

            map[name] = url;
            stores.Add((dcs[i], name, uuid));
        }

        var manifest = new ManifestModel(datacenters.ToDictionary(
            d => d.Key,
            d => new ManifestDatacenter(d.Value, new Dictionary<string, ManifestVm>())));
        return new Inventory(manifest, stores);
    }

    private static Gen<string> RelativePath() =>
        VmxGenerators.TextIn("abc XYZ09_-.()äß日", 8)
            .Where(s => s.Length > 0 && s != "." && s != "..")
            .NonEmptyListOf()
            .Select(parts => string.Join('/', parts.Take(4)) + ".vmdk");

    [Property(MaxTest = 1000)]
    public Property Vmfs_volume_paths_resolve_to_their_datastore() =>
        Prop.ForAll(
            Arb.From(
                from inventory in Inventories()
                from pick in Gen.Choose(0, 100)
                from path in RelativePath()
                from byName in Gen.Elements(true, false)
                from upper in Gen.Elements(true, false)
                select (inventory, pick, path, byName, upper)),
            input =>
            {
                var (dc, name, uuid) = input.inventory.Stores[input.pick % input.inventory.Stores.Count];
                var resolver = new DiskPathResolver(input.inventory.Manifest);
                var vmx = new DatastoreLocation(dc, name, "vm/vm.vmx");
                var volume = input.byName ? name : input.upper ? uuid.ToUpperInvariant() : uuid;
                var location = resolver.Resolve($"/vmfs/volumes/{volume}/{input.path}", vmx, "scsi0:0", out var warning);
                warning.Should().BeNull();
                location.Should().Be(new DatastoreLocation(dc, name, input.path));
                if (!name.Contains("] ", StringComparison.Ordinal))
                {
                    // The bracket notation cannot carry a name containing "] " (split on the first one).
                    resolver.Resolve(location!.ToDatastorePath().ToString(), vmx, "scsi0:0", out _).Should().Be(location);
                }

                resolver.Resolve(input.path, vmx with { Path = "vm.vmx" }, "scsi0:0", out _).Should().Be(location);
            });

    [Property(MaxTest = 1000)]
    public Property Datastore_path_notation_round_trips() =>
        Prop.ForAll(
            Arb.From(
                from ds in VmxGenerators.TextIn(NameAlphabet, 12).Where(n => !n.Contains("] ", StringComparison.Ordinal))
                from path in RelativePath()
                select new DatastorePath(ds, path)),
            p => DatastorePath.Parse(p.ToString()).Should().Be(p));
}
