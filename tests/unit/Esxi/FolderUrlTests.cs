using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Esxi;

namespace EsxiImport.UnitTests.Esxi;

public sealed class FolderUrlTests
{
    [Fact]
    public void The_datastore_root_is_the_folder_path_with_its_slash_as_upstream_asks_for_it()
    {
        FolderUrl.PathAndQuery(new RemotePath("ha-datacenter", "datastore1", string.Empty))
            .Should().Be("/folder/?dcPath=ha%2Ddatacenter&dsName=datastore1");
    }

    [Fact]
    public void A_nested_vcenter_datacenter_is_one_escaped_query_value()
    {
        FolderUrl.PathAndQuery(new RemotePath("Folder1/DC1", "ds", "vm/vm.vmx"))
            .Should().Be("/folder/vm/vm%2Evmx?dcPath=Folder1%2FDC1&dsName=ds");
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("vm/../../x")]
    [InlineData("./x")]
    [InlineData("/abs")]
    [InlineData("a//b")]
    [InlineData("a/")]
    [InlineData("nul\0byte")]
    public void Paths_that_could_leave_the_datastore_are_refused(string path)
    {
        var act = () => FolderUrl.EscapePath(path);

        act.Should().Throw<ToolError>().Which.MessageId.Should().Be("esxi.url.bad-segment");
    }

    [Fact]
    public void A_name_with_a_percent_2F_stays_one_name()
    {
        FolderUrl.EscapePath("a%2Fb").Should().Be("a%252Fb");
    }

    [Fact]
    public void A_lone_surrogate_is_refused_instead_of_asking_for_another_file()
    {
        var act = () => FolderUrl.EscapeName("bad\ud800name");

        act.Should().Throw<ToolError>().Which.MessageId.Should().Be("esxi.url.not-unicode");
    }
}
