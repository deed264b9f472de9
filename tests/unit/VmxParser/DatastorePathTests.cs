using EsxiImport.Diagnostics;
using EsxiImport.VmxParser.Paths;

namespace EsxiImport.UnitTests.VmxParser;

public sealed class DatastorePathTests
{
    [Theory]
    [InlineData("[datastore1] web1/web1.vmx", "datastore1", "web1/web1.vmx", "web1", "web1.vmx")]
    [InlineData("[my data store] dir with space/f.vmx", "my data store", "dir with space/f.vmx", "dir with space", "f.vmx")]
    [InlineData("[ds [2]] a/b.vmx", "ds [2]", "a/b.vmx", "a", "b.vmx")]
    [InlineData("[日本語] ü/ß.vmx", "日本語", "ü/ß.vmx", "ü", "ß.vmx")]
    [InlineData("[ds] /root.vmx", "ds", "root.vmx", "", "root.vmx")]
    [InlineData("[ds] a] b/c.vmx", "ds", "a] b/c.vmx", "a] b", "c.vmx")]
    [InlineData("[] vcls/vcls.vmx", "", "vcls/vcls.vmx", "vcls", "vcls.vmx")]
    [InlineData("[ds]", "ds", "", "", "")]
    public void Parses_on_the_first_bracket_space(string text, string ds, string path, string dir, string file)
    {
        var p = DatastorePath.Parse(text);
        p.Datastore.Should().Be(ds);
        p.Path.Should().Be(path);
        p.Directory.Should().Be(dir);
        p.FileName.Should().Be(file);
    }

    [Theory]
    [InlineData("datastore1/web1.vmx")]
    [InlineData("[ds]web1.vmx")]
    [InlineData("")]
    public void Rejects_text_without_brackets(string text)
    {
        DatastorePath.TryParse(text, out _).Should().BeFalse();
        var act = () => DatastorePath.Parse(text);
        var error = act.Should().Throw<ToolError>().Which;
        error.Kind.Should().Be(ErrorKind.InvalidInput);
        error.Message.Should().Be($"'{text}' is not a datastore path of the form '[datastore] path'");
    }

    [Theory]
    [InlineData("[datastore1] vm/vm.vmx", "datastore1", "vm/vm.vmx")]
    [InlineData("[ssd [fast] ü] odd folder/x [1].vmx", "ssd [fast] ü", "odd folder/x [1].vmx")]
    [InlineData("[] vCLS/vCLS.vmx", "", "vCLS/vCLS.vmx")]
    [InlineData("[other] a] b.vmx", "other", "a] b.vmx")]
    public void Datastore_paths_split_at_a_known_datastore_name_first(string text, string datastore, string path)
    {
        DatastorePath.TryParse(text, ["datastore1", "ssd [fast] ü", "ssd"], out var p).Should().BeTrue();
        (p.Datastore, p.Path).Should().Be((datastore, path));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("/vmfs/volumes/x/y.vmdk")]
    [InlineData("[nospace]")]
    public void Non_datastore_paths_do_not_parse_with_known_names(string? text) =>
        DatastorePath.TryParse(text, [], out _).Should().BeFalse();

    [Fact]
    public void Null_is_not_a_datastore_path() => DatastorePath.TryParse(null, out _).Should().BeFalse();

    [Fact]
    public void Renders_the_bracket_notation()
    {
        new DatastorePath("a b", "c/d.vmdk").ToString().Should().Be("[a b] c/d.vmdk");
        new DatastoreLocation("dc", "ds", "p/q.vmdk").ToDatastorePath().Should().Be(new DatastorePath("ds", "p/q.vmdk"));
        new DatastoreLocation("dc", "ds", "p/q.vmdk").ToString().Should().Be("dc/ds/p/q.vmdk");
    }
}
