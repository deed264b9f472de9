using System.Xml.Linq;

using EsxiImport.Listing.Listing;
using EsxiImport.Vim25;

namespace EsxiImport.UnitTests.Vim25;

/// <summary>The client writes specs and the emulated host reads them with the same codec: what is written reads back equal.</summary>
public sealed class PropertyFilterSpecXmlTests
{
    [Fact]
    public void The_listing_query_reads_back_as_it_was_written()
    {
        var spec = InventoryQuery.ForView(new ManagedObjectReference("ContainerView", "session[1]v"));
        PropertyFilterSpecXml.TryParse(PropertyFilterSpecXml.ToElement(spec), out var back).Should().BeNull();
        back.Should().BeEquivalentTo(spec, o => o.RespectingRuntimeTypes().WithStrictOrdering());
        back.NamedTraversals().Keys.Should().BeEquivalentTo("view", "vmParent", "folderParent");
    }

    [Fact]
    public void Report_missing_objects_is_written_only_when_asked_and_read_back()
    {
        var spec = new PropertyFilterSpec([new PropertySpec("Folder", [], All: true)], [new ObjectSpec(new ManagedObjectReference("Folder", "f"), false, [])], ReportMissingObjectsInResults: true);
        var element = PropertyFilterSpecXml.ToElement(spec);
        element.Child("reportMissingObjectsInResults")!.Value.Should().Be("true");
        PropertyFilterSpecXml.ToElement(spec with { ReportMissingObjectsInResults = false }).Child("reportMissingObjectsInResults").Should().BeNull();
        PropertyFilterSpecXml.TryParse(element, out var back).Should().BeNull();
        back.ReportMissingObjectsInResults.Should().BeTrue();
        back.PropSet[0].All.Should().BeTrue();
    }

    [Theory]
    [InlineData("<specSet xmlns='urn:vim25'><propSet><type/></propSet></specSet>", "propSet.type")]
    [InlineData("<specSet xmlns='urn:vim25'><propSet><type>Folder</type></propSet><objectSet><obj>f</obj></objectSet></specSet>", "objectSet.obj")]
    [InlineData("<specSet xmlns='urn:vim25'><objectSet><obj type='Folder'>f</obj></objectSet></specSet>", "propSet")]
    [InlineData("<specSet xmlns='urn:vim25'><propSet><type>Folder</type></propSet></specSet>", "objectSet")]
    [InlineData("<specSet xmlns='urn:vim25'><propSet><type>Folder</type></propSet><objectSet><obj type='Folder'>f</obj><selectSet/></objectSet></specSet>", "selectSet.name")]
    [InlineData("<specSet xmlns='urn:vim25'><propSet><type>Folder</type></propSet><objectSet><obj type='Folder'>f</obj><selectSet><type>Folder</type><path/></selectSet></objectSet></specSet>", "selectSet.path")]
    public void A_malformed_spec_names_the_argument(string xml, string argument) =>
        PropertyFilterSpecXml.TryParse(XElement.Parse(xml), out _).Should().Be(argument);
}
