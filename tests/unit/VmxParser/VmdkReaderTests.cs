using System.Buffers.Binary;
using System.Text;

using EsxiImport.Diagnostics;
using EsxiImport.TestSupport.Vmdk;
using EsxiImport.VmxParser.Descriptor;

namespace EsxiImport.UnitTests.VmxParser;

public sealed class VmdkReaderTests
{
    [Fact]
    public void Extent_with_quotes_in_the_file_name_and_an_offset()
    {
        var d = VmdkReader.ParseDescriptor("createType=\"vmfs\"\nrw 10 flat \"a \"q\" b.vmdk\" 7\n", "x.vmdk");
        d.Extents.Single().Should().Be(new VmdkExtent("RW", 10, "FLAT", "a \"q\" b.vmdk", 7));
        d.Extents.Single().IsSparse.Should().BeFalse();
        new VmdkExtent("RW", 1, "SESPARSE", "x", null).IsSparse.Should().BeTrue();
    }

    [Fact]
    public void Header_and_ddb_lookups_ignore_case_and_take_the_last_value()
    {
        var d = VmdkReader.ParseDescriptor("CREATETYPE=\"a\"\ncreateType=\"b\"\nddb.ADAPTERTYPE = \"ide\"\nRW 1 ZERO\n", "x");
        d.CreateType.Should().Be("b");
        d.DiskDatabaseValue("ddb.adapterType").Should().Be("ide");
        d.DiskDatabaseValue("ddb.missing").Should().BeNull();
        d.Encoding.Should().BeNull();
        d.HasParent.Should().BeFalse();
    }

    [Theory]
    [InlineData("parentCID=ffffffff", false)]
    [InlineData("parentCID=FFFFFFFF", false)]
    [InlineData("parentCID=1234abcd", true)]
    [InlineData("parentFileNameHint=\"p.vmdk\"", true)]
    public void Has_parent_from_parent_cid_or_hint(string line, bool expected) =>
        VmdkReader.ParseDescriptor("createType=\"x\"\n" + line + "\n", "x").HasParent.Should().Be(expected);

    [Fact]
    public void Descriptor_encoding_is_honoured_and_unknown_encodings_warned()
    {
        var cp = Encoding.Latin1.GetBytes("encoding=\"windows-1252\"\ncreateType=\"vmfs\"\nRW 1 VMFS \"Müller.vmdk\"\n");
        VmdkReader.Read(cp, "x").Descriptor!.Extents[0].FileName.Should().Be("Müller.vmdk");
        var unknown = VmdkReader.ParseDescriptor(Encoding.UTF8.GetBytes("encoding=\"bogus\"\ncreateType=\"vmfs\"\n"), "x");
        unknown.Warnings.Single().MessageId.Should().Be("vmx.text.unknown-encoding");
    }

    [Fact]
    public void Text_that_is_no_descriptor_fails_with_invalid_input()
    {
        var act = () => VmdkReader.Read("hello\n"u8, "disk.vmdk");
        act.Should().Throw<ToolError>().Which.Kind.Should().Be(ErrorKind.InvalidInput);
        var empty = () => VmdkReader.ParseDescriptor(string.Empty, "e.vmdk");
        empty.Should().Throw<ToolError>().WithMessage("e.vmdk is not a VMDK descriptor (no createType and no extent)");
    }

    [Fact]
    public void Truncated_cowd_header_fails()
    {
        var act = () => VmdkReader.Read("COWD\x01"u8, "c.vmdk");
        act.Should().Throw<ToolError>().WithMessage("c.vmdk: the COWD sparse VMDK header is truncated");
    }

    [Fact]
    public void Kdmv_whose_embedded_area_holds_no_descriptor_is_still_sparse()
    {
        var bytes = new byte[1024];
        "KDMV"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(12), 2048);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(28), 1);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(36), 1);
        "garbage"u8.CopyTo(bytes.AsSpan(512));
        var file = VmdkReader.Read(bytes, "k.vmdk");
        file.Kind.Should().Be(VmdkFileKind.SparseKdmv);
        file.Descriptor.Should().BeNull();
        file.Sparse!.CapacitySectors.Should().Be(2048);
    }

    [Fact]
    public void Kdmv_with_huge_descriptor_offsets_does_not_overflow()
    {
        var bytes = new byte[512];
        "KDMV"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(28), ulong.MaxValue);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(36), ulong.MaxValue);
        VmdkReader.Read(bytes, "k").Descriptor.Should().BeNull();
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(28), 0);
        VmdkReader.Read(bytes, "k").Descriptor.Should().BeNull();
    }

    [Fact]
    public void Writer_quotes_what_needs_quotes()
    {
        var d = new VmdkDescriptor(
            [KeyValuePair.Create("version", "1"), KeyValuePair.Create("CID", "fffffffe"), KeyValuePair.Create("createType", "vmfs"), KeyValuePair.Create("note", "two words"), KeyValuePair.Create("empty", string.Empty)],
            [new VmdkExtent("RW", 8, "VMFS", "a.vmdk", null), new VmdkExtent("RW", 8, "FLAT", "b.vmdk", 3), new VmdkExtent("RW", 8, "ZERO", null, null)],
            [KeyValuePair.Create("ddb.adapterType", "lsilogic")],
            []);
        var text = VmdkDescriptorWriter.Render(d);
        text.Should().Contain("version=1\nCID=fffffffe\ncreateType=\"vmfs\"\nnote=\"two words\"\nempty=\"\"\n");
        text.Should().Contain("RW 8 VMFS \"a.vmdk\"\nRW 8 FLAT \"b.vmdk\" 3\nRW 8 ZERO\n");
        text.Should().EndWith("ddb.adapterType = \"lsilogic\"\n");
        VmdkReader.ParseDescriptor(text, "x").Should().BeEquivalentTo(d, o => o.WithStrictOrdering());
        d.CapacityBytes.Should().Be(24 * 512);
    }

    [Fact]
    public void Capacity_saturates_instead_of_overflowing()
    {
        var d = VmdkReader.ParseDescriptor($"RW {long.MaxValue} FLAT \"a\"\nRW {long.MaxValue} FLAT \"b\"\n", "x");
        d.CapacityBytes.Should().Be(long.MaxValue);
        VmdkReader.ParseDescriptor("RW 3 FLAT \"a\"\nRW 5 ZERO\n", "x").CapacityBytes.Should().Be(8 * 512);
    }
}
