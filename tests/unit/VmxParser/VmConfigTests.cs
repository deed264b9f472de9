using EsxiImport.VmxParser.Model;

namespace EsxiImport.UnitTests.VmxParser;

public sealed class VmConfigTests
{
    [Theory]
    [InlineData("4096", 4096L, null)]
    [InlineData(" 512 ", 512L, null)]
    [InlineData("4096 MB", 4096L, "vmx.model.memsize-lenient")]
    [InlineData("4096M", 4096L, "vmx.model.memsize-lenient")]
    [InlineData("2 GiB", 2048L, "vmx.model.memsize-lenient")]
    [InlineData("2g", 2048L, "vmx.model.memsize-lenient")]
    [InlineData("", null, "vmx.model.memsize-invalid")]
    [InlineData("-1", null, "vmx.model.memsize-invalid")]
    [InlineData("4096 TB", null, "vmx.model.memsize-invalid")]
    [InlineData("99999999999999999999", null, "vmx.model.memsize-invalid")]
    public void Memory_size_is_read_leniently(string value, long? expected, string? warning)
    {
        var config = VmConfig.Parse($"memsize = \"{value}\"\n");
        config.MemoryMb.Should().Be(expected);
        config.Warnings.Select(w => w.MessageId).Should().Equal(warning is null ? [] : [warning]);
        config.Warnings.All(w => w.Line == 1 && w.Text.Contains(value, StringComparison.Ordinal)).Should().BeTrue();
    }

    [Fact]
    public void Absent_keys_are_null_and_nothing_is_warned()
    {
        var config = VmConfig.Parse(string.Empty);
        config.Should().BeEquivalentTo(new VmConfig(null, null, null, null, null, null, null, [], [], [], []));
        config.Disks.Should().BeEmpty();
    }

    [Theory]
    [InlineData("TRUE", true)]
    [InlineData("true", true)]
    [InlineData(" yes ", true)]
    [InlineData("1", true)]
    [InlineData("FALSE", false)]
    [InlineData("0", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Booleans_follow_vmware_spelling(string? value, bool expected) => VmConfigReader.IsTrue(value).Should().Be(expected);

    [Fact]
    public void Disks_are_present_disk_slots_only()
    {
        var config = VmConfig.Parse(
            "scsi0:0.present = \"TRUE\"\nscsi0:0.fileName = \"a.vmdk\"\n" +
            "scsi0:1.present = \"FALSE\"\nscsi0:1.fileName = \"b.vmdk\"\n" +
            "sata0:0.present = \"TRUE\"\nsata0:0.deviceType = \"cdrom-image\"\n" +
            "nvme0:0.present = \"TRUE\"\nnvme0:0.deviceType = \"nvme-hardDisk\"\nnvme0:0.fileName = \"c.vmdk\"\n");
        config.Disks.Select(d => d.Name).Should().Equal("scsi0:0", "nvme0:0");
        config.Slots.Single(s => s.Bus == DiskBus.Sata).Kind.Should().Be(DiskSlotKind.CdRom);
    }

    [Fact]
    public void Slot_like_keys_with_huge_numbers_are_not_slots()
    {
        var config = VmConfig.Parse("scsi99999999999:0.present = \"TRUE\"\nethernet99999999999.present = \"TRUE\"\nserial1.present = \"TRUE\"\n");
        config.Slots.Should().BeEmpty();
        config.NetworkAdapters.Should().BeEmpty();
        config.SerialPorts.Should().ContainSingle().Which.Name.Should().Be("serial1");
    }

    [Fact]
    public void Nic_without_address_type_takes_whichever_mac_exists()
    {
        var config = VmConfig.Parse("ethernet0.present = \"TRUE\"\nethernet0.generatedAddress = \"00:0c:29:00:00:01\"\n");
        config.NetworkAdapters.Single().MacAddress.Should().Be("00:0c:29:00:00:01");
        config.Warnings.Should().BeEmpty();
    }

    [Fact]
    public void Nic_of_unknown_address_type_without_mac_is_warned()
    {
        var config = VmConfig.Parse("ethernet2.present = \"TRUE\"\nethernet2.addressType = \"weird\"\n");
        config.NetworkAdapters.Single().MacAddress.Should().BeNull();
        config.Warnings.Single().Text.Should().Be("ethernet2 has address type 'weird' but no 'ethernet2.generatedAddress'; its MAC address is unknown");
    }

    [Fact]
    public void Parse_from_bytes_honours_the_encoding()
    {
        VmConfig.Parse(System.Text.Encoding.Latin1.GetBytes(".encoding = \"windows-1252\"\ndisplayName = \"M\u00fcller\"\n"))
            .DisplayName.Should().Be("Müller");
    }
}
