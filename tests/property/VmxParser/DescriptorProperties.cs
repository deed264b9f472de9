using EsxiImport.TestSupport.Vmdk;
using EsxiImport.VmxParser.Descriptor;

using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EsxiImport.PropertyTests.VmxParser;

/// <summary>Generated descriptors survive render → parse: header, extents and disk database, in order.</summary>
public sealed class DescriptorProperties
{
    // Anything but line breaks and NUL may appear in a value, quotes included.
    private const string ValueAlphabet = "abZ09 _-./\"'=#()[]\täß日本";

    private static Gen<string> Key(string prefix) =>
        from first in Gen.Elements("a", "B", "c", "X")
        from rest in VmxGenerators.TextIn("abXY09_", 8)
        select prefix + first + rest;

    private static Gen<KeyValuePair<string, string>> Entry(string prefix) =>
        from key in Key(prefix)
        from value in VmxGenerators.TextIn(ValueAlphabet, 16)
        select KeyValuePair.Create(key, value);

    private static Gen<VmdkExtent> Extent() =>
        from access in Gen.Elements("RW", "RDONLY", "NOACCESS")
        from sectors in Gen.Choose(0, int.MaxValue).Select(s => (long)s * 3)
        from type in Gen.Elements("FLAT", "SPARSE", "ZERO", "VMFS", "VMFSSPARSE", "VMFSRDM", "VMFSRAW", "SESPARSE", "VSANSPARSE")
        from file in VmxGenerators.TextIn(ValueAlphabet, 16).Select(f => f + ".vmdk")
        from offset in Gen.Elements<long?>(null, 0, 2048, long.MaxValue)
        select type == "ZERO" ? new VmdkExtent(access, sectors, type, null, null) : new VmdkExtent(access, sectors, type, file, offset);

    private static Gen<VmdkDescriptor> Descriptors() =>
        from createType in Gen.Elements("monolithicFlat", "twoGbMaxExtentFlat", "vmfs", "seSparse", "vmfsSparse")
        from header in Entry(string.Empty).ListOf(4)
        from extents in Extent().NonEmptyListOf()
        from ddb in Entry("ddb.").ListOf(5)
        select new VmdkDescriptor(
            [KeyValuePair.Create("createType", createType), .. header],
            extents.Take(8).ToList(),
            ddb.ToList(),
            []);

    [Property(MaxTest = 1000)]
    public Property Render_then_parse_gives_the_same_descriptor() =>
        Prop.ForAll(Arb.From(Descriptors()), d =>
            VmdkReader.ParseDescriptor(VmdkDescriptorWriter.Render(d), "d.vmdk")
                .Should().BeEquivalentTo(d, o => o.WithStrictOrdering()));
}
