using EsxiImport.VmxParser.Model;
using EsxiImport.VmxParser.Syntax;

using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EsxiImport.PropertyTests.VmxParser;

/// <summary>
/// For generated VMs rendered with escapes, three encodings, random key case, random whitespace
/// and either line ending, parsing gives back exactly the VM that was rendered.
/// </summary>
public sealed class VmxRoundTripProperties
{
    [Property(MaxTest = 1000)]
    public Property Rendered_vmx_parses_to_the_same_model() =>
        Prop.ForAll(Arb.From(VmxGenerators.Vmx()), vmx =>
        {
            var config = VmConfig.Parse(vmx.Bytes);
            config.Warnings.Should().BeEmpty();
            config.DisplayName.Should().Be(vmx.DisplayName);
            config.GuestOs.Should().Be(vmx.GuestOs);
            config.MemoryMb.Should().Be(vmx.MemoryMb);
            config.NumCpus.Should().Be(vmx.NumCpus);
            config.Firmware.Should().Be(vmx.Firmware);
            var expectedSlots = vmx.Disks
                .OrderBy(d => d.Bus).ThenBy(d => d.Controller).ThenBy(d => d.Unit)
                .Select(d => new DiskSlot(d.Bus, d.Controller, d.Unit, true, null, d.FileName, d.Bus == DiskBus.Scsi && d.Controller % 2 == 0 ? "pvscsi" : null))
                .ToList();
            config.Slots.Should().Equal(expectedSlots);
            config.NetworkAdapters.Select(n => (n.Index, n.AddressType, n.MacAddress)).Should().Equal(
                vmx.Nics.OrderBy(n => n.Index).Select(n => (n.Index, (string?)n.AddressType, (string?)n.Mac)));
        });

    [Property(MaxTest = 1000)]
    public Property Writer_output_parses_to_the_same_entries() =>
        Prop.ForAll(
            Arb.From(
                from encoding in Gen.Elements("UTF-8", "windows-1252", "Shift_JIS")
                from values in VmxGenerators.TextIn("ab \"|\n\r\t#=é日€", 16).ListOf(5)
                select (encoding, values)),
            input =>
            {
                var entries = input.values.Select((v, i) => KeyValuePair.Create($"key{i}.Name", v)).ToList();
                var encodable = entries
                    .Select(e => KeyValuePair.Create(e.Key, RoundTripThrough(input.encoding, e.Value)))
                    .ToList();
                var doc = VmxDocument.Parse(VmxWriter.RenderBytes(entries, input.encoding));
                doc.Warnings.Should().BeEmpty();
                doc.Entries.Skip(1).Select(l => KeyValuePair.Create(l.Key!, l.Value!)).Should().Equal(encodable);
                VmxDocument.Parse(VmxWriter.Render(entries)).Entries.Select(l => l.Value).Should().Equal(entries.Select(e => e.Value));
            });

    // Characters an encoding cannot hold become '?' on the way to bytes; that is what comes back.
    private static string RoundTripThrough(string encoding, string value)
    {
        var e = TextEncodings.Find(encoding)!;
        return e.GetString(e.GetBytes(value));
    }
}
