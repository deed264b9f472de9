using EsxiImport.Diagnostics;
using EsxiImport.Emulator.Datastore;
using EsxiImport.Emulator.Inventory;
using EsxiImport.Emulator.Scenarios;

namespace EsxiImport.UnitTests.Emulator;

public sealed class ScenarioLoaderTests
{
    private static string ErrorOf(string yaml)
    {
        var act = () => ScenarioLoader.Parse(yaml, "s.yaml", ".");
        var error = act.Should().Throw<ToolError>().Which;
        error.Kind.Should().Be(ErrorKind.InvalidInput);
        var line = string.Join(": ", error.Chain());
        line.Should().NotContain("\n");
        return line;
    }

    [Fact]
    public void The_default_scenario_loads_with_the_promised_cases()
    {
        var s = ScenarioLoader.LoadDefault();
        var dc = s.Datacenters.Single();
        dc.Name.Should().Be("ha-datacenter");
        dc.Datastores.Select(d => d.Name).Should().Contain(["datastore1", "datastore2", "Local SSD (1)"]);
        dc.Vms.Should().Contain(v => v.Disks.Count == 2 && v.Disks[1].Datastore != null && v.Disks[1].VmxPathStyle == "uuid");
        dc.Vms.Should().Contain(v => v.Name == "Ünïcode web #1");
        dc.Vms.Should().Contain(v => v.PowerState == "suspended");
        dc.Vms.Should().Contain(v => v.ExtraConfig.GetValueOrDefault("HDCS.agent") == "true");
        dc.Vms.SelectMany(v => v.Disks).Should().OnlyContain(d => d.CapacityBytes <= 256L << 20);
    }

    [Fact]
    public void Json_is_accepted_and_defaults_fill_the_rest()
    {
        var s = ScenarioLoader.Parse(
            """{"datacenters":[{"datastores":[{"name":"ds"}],"vms":[{"name":"vm","datastore":"ds","disks":[{"capacity":"64GiB","content":{"kind":"zeros"}}]}]}]}""",
            "s.json",
            ".");
        s.Name.Should().Be("s");
        var ds = s.Datacenters[0].Datastores[0];
        ds.Uuid.Should().MatchRegex("^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{8}$");
        s.Datacenters[0].Vms[0].Disks[0].CapacityBytes.Should().Be(64L << 30);
        s.Users.Single().Name.Should().Be("root");

        // A 64 GiB disk costs nothing: reading its last bytes needs no allocation of the whole.
        var tree = EmulatedDatastores.Build(s).Find("ha-datacenter", "ds")!;
        var flat = (DatastoreFile)tree.Find("vm/vm-flat.vmdk")!;
        flat.Length.Should().Be(64L << 30);
    }

    [Theory]
    [InlineData("datacenters:\n  - datastores:\n      - name: ds\n    vms:\n      - name: vm\n        datastore: nope\n",
        "scenario s.yaml line 6, field datacenters[0].vms[0].datastore: unknown datastore 'nope'")]
    [InlineData("datacenters:\n  - datastores:\n      - name: ds\n      - name: ds\n",
        "scenario s.yaml line 4, field datacenters[0].datastores[1].name: 'ds' is used twice")]
    [InlineData("datacenters:\n  - datastores:\n      - name: ds\n    vms:\n      - name: vm\n        datastore: ds\n      - name: vm\n        datastore: ds\n",
        "scenario s.yaml line 7, field datacenters[0].vms[1].name: '[ds] vm/vm.vmx' is used twice")]
    [InlineData("datacenters:\n  - datastores:\n      - name: ds\n    vms:\n      - name: vm\n        datastore: ds\n      - name: vm\n        datastore: ds\n        folder: vm\n",
        "scenario s.yaml line 9, field datacenters[0].vms[1].folder: '[ds] vm/vm.vmx' is used twice")]
    [InlineData("datacenters:\n  - datastores:\n      - name: ds\n    vms:\n      - name: vm\n        datastore: ds\n        disks:\n          - capacity: 1000\n",
        "scenario s.yaml line 8, field datacenters[0].vms[0].disks[0].capacity: '1000' is not a valid size (a positive number of bytes, a multiple of 512 for disks, or with KiB/MiB/GiB/TiB)")]
    [InlineData("datacenters:\n  - datastores:\n      - name: ds\n    vms:\n      - name: vm\n        datastore: ds\n        disks:\n          - capacity: 12XB\n",
        "scenario s.yaml line 8, field datacenters[0].vms[0].disks[0].capacity: '12XB' is not a valid size (a positive number of bytes, a multiple of 512 for disks, or with KiB/MiB/GiB/TiB)")]
    [InlineData("datacenters:\n  - datastores:\n      - name: ds\n        colour: red\n",
        "scenario s.yaml line 4, field datacenters[0].datastores[0].colour: unknown field")]
    [InlineData("datacenters:\n  - datastores:\n      - name: ds\n    vms:\n      - name: vm\n        datastore: ds\n        powerState: asleep\n",
        "scenario s.yaml line 7, field datacenters[0].vms[0].powerState: 'asleep' is not one of: poweredOn, poweredOff, suspended")]
    [InlineData("datacenters:\n  - datastores:\n      - name: ds\nfaults:\n  - trigger: sometimes\n",
        "scenario s.yaml line 5, field faults[0].action: fault rule 'folder:*:*:sometimes:status:500': unknown trigger 'sometimes' (always, first, skip, after-bytes, probability, in-flight-above)")]
    [InlineData("datacenters:\n  - datastores:\n      - name: ds\nfaults:\n  - action: explode\n",
        "scenario s.yaml line 5, field faults[0].action: fault rule 'folder:*:*:always:explode': unknown or malformed action 'explode'")]
    [InlineData("datacenters: [ { name: x\n", null)]
    [InlineData("name: x\n", "scenario s.yaml line 1, field datacenters: required field is missing or empty")]
    public void Errors_are_one_line_naming_file_line_and_field(string yaml, string? expected)
    {
        var line = ErrorOf(yaml);
        if (expected is null)
        {
            line.Should().StartWith("scenario s.yaml line 2: not valid YAML or JSON: ");
        }
        else
        {
            line.Should().Be(expected);
        }
    }

    [Fact]
    public void Two_vms_of_one_name_in_other_folders_are_two_vms_with_their_own_files_and_ids()
    {
        var s = ScenarioLoader.Parse(
            "datacenters:\n  - datastores:\n      - name: ds\n    vms:\n      - name: app\n        datastore: ds\n        disks: [ { capacity: 1MiB } ]\n" +
            "      - name: app\n        datastore: ds\n        folder: app_1\n        disks: [ { capacity: 2MiB } ]\n",
            "s.yaml",
            ".");
        var tree = EmulatedDatastores.Build(s).Find("ha-datacenter", "ds")!;
        ((DatastoreFile)tree.Find("app/app-flat.vmdk")!).Length.Should().Be(1L << 20);
        ((DatastoreFile)tree.Find("app_1/app-flat.vmdk")!).Length.Should().Be(2L << 20);
        tree.Find("app_1/app.vmx").Should().BeOfType<DatastoreFile>();

        var dc = s.Datacenters[0];
        var ids = dc.Vms.Select(vm => ScenarioVmPaths.Distinction(dc, vm)).ToList();
        ids.Should().Equal("", "@[ds] app_1/app.vmx");
    }

    [Fact]
    public void A_missing_file_is_reported_with_its_name()
    {
        var act = () => ScenarioLoader.Load("/nonexistent/x.yaml");
        string.Join(": ", act.Should().Throw<ToolError>().Which.Chain()).Should().StartWith("scenario /nonexistent/x.yaml: cannot read the file: Could not find");
    }
}
