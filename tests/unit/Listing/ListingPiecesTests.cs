using System.Xml.Linq;

using EsxiImport.Diagnostics;
using EsxiImport.Emulator.Datastore;
using EsxiImport.Emulator.Inventory;
using EsxiImport.Emulator.Scenarios;
using EsxiImport.Listing.Cli;
using EsxiImport.Listing.Listing;
using EsxiImport.Listing.Soap;
using EsxiImport.Vim25;

namespace EsxiImport.UnitTests.Listing;

public sealed class ListingPiecesTests
{
    [Fact]
    public void Arguments_parse_in_any_order()
    {
        ListVmsArguments.Parse(["h", "--port", "8443", "u", "--skip-cert-verification", "p"])
            .Should().Be(new ListVmsCommandLine.List(new ListVmsArguments("h", "u", "p", 8443, true)));
        ListVmsArguments.Parse(["[::1]", "u", "p"]).Should().Be(new ListVmsCommandLine.List(new ListVmsArguments("[::1]", "u", "p", 443, false)));
        ListVmsArguments.Parse(["-h", "--bogus"]).Should().BeOfType<ListVmsCommandLine.Help>();
        ListVmsArguments.Parse(["--ver"]).Should().BeOfType<ListVmsCommandLine.Version>();
    }

    [Fact]
    public void IPv6_hosts_get_brackets_once()
    {
        new VimClientOptions("::1", 8443).BaseUri.ToString().Should().Be("https://[::1]:8443/");
        new VimClientOptions("[::1]", 8443).BaseUri.ToString().Should().Be("https://[::1]:8443/");
    }

    [Fact]
    public void A_VM_whose_parent_chain_has_no_datacenter_is_reported_and_the_rest_listed()
    {
        var folder = new ManagedObjectReference("Folder", "f");
        XElement Val(string text) => new(VimXml.Vim + "val", text);
        XElement Mor(ManagedObjectReference r) => r.ToElement(VimXml.Vim + "val");
        var dc = new ManagedObjectReference("Datacenter", "dc");
        var objects = new List<ObjectContent>
        {
            new(new ManagedObjectReference("VirtualMachine", "1"), new Dictionary<string, XElement>
            {
                ["name"] = Val("lost"), ["parent"] = Mor(new ManagedObjectReference("Folder", "elsewhere")),
                ["config.files.vmPathName"] = Val("[ds] lost/lost.vmx"),
            }, []),
            new(new ManagedObjectReference("VirtualMachine", "2"), new Dictionary<string, XElement>
            {
                ["name"] = Val("ok"), ["parent"] = Mor(folder), ["runtime.powerState"] = Val("poweredOn"),
                ["config.files.vmPathName"] = Val("[ds] ok/ok.vmx"),
                ["config.hardware.device"] = new XElement(VimXml.Vim + "val",
                    new XElement(VimXml.Vim + "VirtualDevice", new XAttribute(VimXml.Xsi + "type", "VirtualDisk"),
                        new XElement(VimXml.Vim + "backing", new XElement(VimXml.Vim + "fileName", "no brackets")),
                        new XElement(VimXml.Vim + "capacityInKB", "4"))),
            }, []),
            new(folder, new Dictionary<string, XElement> { ["name"] = Val("vm"), ["parent"] = Mor(dc) }, []),
            new(dc, new Dictionary<string, XElement> { ["name"] = Val("DC") }, []),
        };
        var result = VmLister.Build(objects);
        result.Notices.Should().Equal(
            "Failed to get info for VM lost: Failed to lookup datacenter for VM lost",
            "failed to get disk information for esxi vm:  'no brackets' is not a datastore path of the form [datastore] path");
        var vm = result.Manifest.Datacenters["DC"].Vms["ok"];
        vm.Config.Checksum.Should().Be("N/A");
        vm.Disks.Should().BeEmpty();
    }

    [Fact]
    public void Scenario_paths_agree_with_the_folder_tree_layout()
    {
        var scenario = ScenarioLoader.LoadDefault();
        foreach (var dc in scenario.Datacenters)
        {
            foreach (var vm in dc.Vms)
            {
                var layout = VmFileLayout.For(dc, vm);
                ScenarioVmPaths.VmxPath(vm).Should().Be(layout.VmxPath);
                ScenarioVmPaths.VmPathName(vm).Should().Be(layout.VmxDatastorePath);
                for (var i = 0; i < vm.Disks.Count; i++)
                {
                    ("[" + ScenarioVmPaths.DiskDatastore(vm, vm.Disks[i]) + "] " + ScenarioVmPaths.DiskPath(vm, i)).Should().Be(layout.Disks[i].DatastorePath);
                }
            }
        }
    }

    [Fact]
    public void A_bad_disk_slot_is_a_format_error() =>
        FluentActions.Invoking(() => ScenarioVmPaths.ParseSlot("floppy0:0")).Should().Throw<FormatException>();

    [Fact]
    public void Api_versions_compare_numerically()
    {
        (new ApiVersion("6.7") < new ApiVersion("6.7.1")).Should().BeTrue();
        (new ApiVersion("6.7.3") < new ApiVersion("7.0.0.0")).Should().BeTrue();
        (new ApiVersion("8.0.3.0") >= new ApiVersion("8.0.3")).Should().BeTrue();
        ApiVersion.TryParse("x.y", out _).Should().BeFalse();
        ApiVersion.TryParse("8", out _).Should().BeFalse();
    }

    [Fact]
    public void Missing_password_file_is_a_not_found_error()
    {
        var error = FluentActions.Invoking(() => PasswordFile.Read("/nonexistent.pw")).Should().Throw<ToolError>().Which;
        error.Kind.Should().Be(ErrorKind.NotFound);
    }
}
