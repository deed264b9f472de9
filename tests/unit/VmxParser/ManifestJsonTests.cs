using System.Text;

using EsxiImport.Diagnostics;
using EsxiImport.VmxParser.Manifest;

namespace EsxiImport.UnitTests.VmxParser;

public sealed class ManifestJsonTests
{
    private const string Valid = """
        {"dc": {"vms": {"a": {"config": {"datastore": "ds", "path": "a/a.vmx", "checksum": "00"}, "disks": [{"datastore": "ds", "path": "a/a.vmdk", "capacity": 5}], "power": "poweredOn"}},
                "datastores": {"ds": "/vmfs/volumes/x/"}}}
        """;

    [Fact]
    public void Reads_every_field()
    {
        var m = ManifestJson.Parse(Valid, "m.json");
        var vm = m.Datacenters["dc"].Vms["a"];
        vm.Config.Should().Be(new ManifestConfig("ds", "a/a.vmx", "00"));
        vm.Disks.Should().Equal(new ManifestDisk("ds", "a/a.vmdk", 5));
        vm.Power.Should().Be("poweredOn");
        m.Datacenters["dc"].Datastores["ds"].Should().Be("/vmfs/volumes/x/");
    }

    [Fact]
    public void Keys_keep_their_order_and_a_repeated_key_keeps_its_place_with_the_last_value()
    {
        var m = ManifestJson.Parse("""{"z": {"datastores": {"b": "1", "a": "2", "b": "3"}}, "y": {}}""", "m.json");
        m.Datacenters.Keys.Should().Equal("z", "y");
        m.Datacenters["z"].Datastores.Should().Equal(KeyValuePair.Create("b", "3"), KeyValuePair.Create("a", "2"));
    }

    [Fact]
    public void A_key_given_twice_is_a_warning_and_the_later_value_wins_whole()
    {
        const string text = """
            {"dc": {"vms": {"a": {"config": {"datastore": "ds", "path": "a/a.vmx"}, "disks": [{"datastore": "ds", "path": "a/1.vmdk"}, {"datastore": "ds", "path": "a/2.vmdk"}]},
                            "a": {"config": {"datastore": "ds", "path": "b/b.vmx"}, "disks": [{"datastore": "ds", "path": "b/1.vmdk"}]}},
                    "vms": {"c": {"config": {"datastore": "ds", "path": "c/c.vmx"}}},
                    "datastores": {"ds": "/vmfs/volumes/x/"}}}
            """;
        var m = ManifestJson.Parse(text, "m.json");
        m.Warnings.Should().Equal(
            "m.json: line 2, column 17: $.dc.vms.a is given twice; the later value is used",
            "m.json: line 3, column 9: $.dc.vms is given twice; the later value is used");
        m.Datacenters["dc"].Vms.Keys.Should().Equal(["c"], "as Perl's JSON and serde read it, the second vms object replaces the first");
        ManifestJson.Parse(Valid, "m.json").Warnings.Should().BeEmpty();
    }

    [Fact]
    public void The_later_vm_of_a_repeated_name_is_taken_with_its_own_disks_only()
    {
        var m = ManifestJson.Parse("""
            {"dc": {"vms": {"a": {"config": {"datastore": "ds", "path": "a/a.vmx"}, "disks": [{"datastore": "ds", "path": "a/1.vmdk"}, {"datastore": "ds", "path": "a/2.vmdk"}], "disks": [{"datastore": "ds", "path": "b/1.vmdk"}]}}}}
            """, "m.json");
        m.Datacenters["dc"].Vms["a"].Disks.Select(d => d.Path).Should().Equal("b/1.vmdk");
        m.Warnings.Should().ContainSingle().Which.Should().EndWith("$.dc.vms.a.disks is given twice; the later value is used");
    }

    [Fact]
    public void Bytes_with_a_bom_parse()
    {
        ManifestJson.Parse([0xEF, 0xBB, 0xBF, .. "{}"u8], "m.json").Datacenters.Should().BeEmpty();
    }

    [Fact]
    public void Invalid_utf8_in_a_name_is_a_positioned_syntax_error()
    {
        var act = () => ManifestJson.Parse([.. "{\"dc\": {\""u8, 0xFF, .. "\": 1}}"u8], "m.json");
        var error = act.Should().Throw<ToolError>().Which;
        error.Kind.Should().Be(ErrorKind.InvalidInput);
        error.Message.Should().StartWith("m.json: line 1, column ");
    }

    [Fact]
    public void Column_counts_characters_not_bytes()
    {
        var act = () => ManifestJson.Parse("{\"äöü\": 1}", "m.json");
        act.Should().Throw<ToolError>().WithMessage("m.json: line 1, column 9: $.äöü must be an object, found a number");
    }

    [Theory]
    [InlineData("{\"dc\": {\"vms\": []}}", "$.dc.vms must be an object, found an array")]
    [InlineData("{\"dc\": {\"vms\": {\"v\": {\"config\": {\"datastore\": true, \"path\": \"p\"}}}}}", "$.dc.vms.v.config.datastore must be a string, found a boolean")]
    [InlineData("{\"dc\": {\"vms\": {\"v\": {\"config\": {\"datastore\": null, \"path\": \"p\"}}}}}", "$.dc.vms.v.config.datastore must be a string, found null")]
    [InlineData("{\"dc\": {\"vms\": {\"v\": {\"config\": {\"datastore\": \"d\", \"path\": \"p\"}, \"disks\": {}}}}}", "$.dc.vms.v.disks must be an array, found an object")]
    [InlineData("{\"dc\": {\"vms\": {\"v\": {\"config\": {\"datastore\": \"d\", \"path\": \"p\"}, \"disks\": [{\"path\": \"p\"}]}}}}", "$.dc.vms.v.disks[0].datastore is missing")]
    [InlineData("{\"dc\": {\"vms\": {\"v\": {\"config\": {\"datastore\": \"d\", \"path\": \"p\"}, \"disks\": [{\"datastore\": \"d\"}]}}}}", "$.dc.vms.v.disks[0].path is missing")]
    [InlineData("{\"dc\": {\"vms\": {\"v\": {\"config\": {\"path\": \"p\"}}}}}", "$.dc.vms.v.config.datastore is missing")]
    [InlineData("{\"dc\": {\"vms\": {\"v\": {\"config\": {\"datastore\": \"d\", \"path\": \"p\"}, \"disks\": [{\"datastore\": \"d\", \"path\": \"p\", \"capacity\": -1}]}}}}", "$.dc.vms.v.disks[0].capacity must be a non-negative integer, found a number")]
    [InlineData("{\"dc\": {\"vms\": {\"v\": {\"config\": {\"datastore\": \"d\", \"path\": \"p\"}, \"power\": 1}}}}", "$.dc.vms.v.power must be a string, found a number")]
    [InlineData("{\"d'c\\\\\": 1}", "$['d\\'c\\\\'] must be an object, found a number")]
    [InlineData("{\"\": 1}", "$[''] must be an object, found a number")]
    public void Shape_errors_name_the_json_path(string json, string expectedTail)
    {
        var act = () => ManifestJson.Parse(json, "m.json");
        var error = act.Should().Throw<ToolError>().Which;
        error.MessageId.Should().BeOneOf("manifest.json.wrong-type", "manifest.json.missing-field");
        error.Message.Should().EndWith(expectedTail);
    }

    [Theory]
    [InlineData("{\"dc\": {\"x\": [1, }}")]
    [InlineData("{\"dc\": {\"x\": ")]
    [InlineData("{\"dc\" 1}")]
    [InlineData("{} x")]
    [InlineData("/* c */ {}")]
    public void Malformed_json_is_a_syntax_error(string json)
    {
        var act = () => ManifestJson.Parse(json, "m.json");
        act.Should().Throw<ToolError>().Which.MessageId.Should().Be("manifest.json.syntax");
    }

    [Fact]
    public void Deep_nesting_in_an_unknown_field_is_a_syntax_error_not_a_crash()
    {
        var deep = "{\"dc\": {\"x\": " + new string('[', 100) + new string(']', 100) + "}}";
        var act = () => ManifestJson.Parse(deep, "m.json");
        act.Should().Throw<ToolError>().Which.MessageId.Should().Be("manifest.json.syntax");
    }

    [Fact]
    public void Serialize_writes_the_listvms_shape()
    {
        var text = ManifestJson.Serialize(ManifestJson.Parse(Valid, "m.json"));
        text.Should().Be("""
            {
              "dc": {
                "vms": {
                  "a": {
                    "config": {
                      "datastore": "ds",
                      "path": "a/a.vmx",
                      "checksum": "00"
                    },
                    "disks": [
                      {
                        "datastore": "ds",
                        "path": "a/a.vmdk",
                        "capacity": 5
                      }
                    ],
                    "power": "poweredOn"
                  }
                },
                "datastores": {
                  "ds": "/vmfs/volumes/x/"
                }
              }
            }
            """.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Serialize_writes_ascii_with_python_escapes_and_empty_containers_inline()
    {
        var m = ManifestJson.Parse("{\"dç\": {\"datastores\": {\"日本 🚀\": \"/vmfs/\\\"q\\\\\\t\\u007f\"}}, \"e\": {}}", "m.json");
        ManifestJson.Serialize(m).Should().Be(
            "{\n  \"d\\u00e7\": {\n    \"vms\": {},\n    \"datastores\": {\n"
            + "      \"\\u65e5\\u672c \\ud83d\\ude80\": \"/vmfs/\\\"q\\\\\\t\\u007f\"\n    }\n  },\n"
            + "  \"e\": {\n    \"vms\": {},\n    \"datastores\": {}\n  }\n}");
        ManifestJson.Serialize(new Manifest(new Dictionary<string, ManifestDatacenter>())).Should().Be("{}");
    }
}
