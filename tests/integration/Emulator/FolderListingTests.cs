using System.Net;

namespace EsxiImport.IntegrationTests.Emulator;

public sealed class FolderListingTests
{
    [Theory]
    [InlineData("folder/db01?dcPath=ha-datacenter&dsName=datastore1")]
    [InlineData("folder/db01/?dcPath=ha-datacenter&dsName=datastore1")]
    [InlineData("folder/db01?dsName=datastore1")]
    [InlineData("folder/db01?dcName=ha-datacenter&dsName=datastore1")]
    public async Task A_folder_is_an_html_listing_with_or_without_slash_and_never_a_redirect(string target)
    {
        await using var f = await EmulatorFixture.StartAsync();
        using var response = await f.SendAsync(HttpMethod.Get, new Uri(f.Host.BaseUri, target));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        var html = await response.Content.ReadAsStringAsync();
        html.Should().Contain(">db01-flat.vmdk</a>").And.Contain(">db01.vmx</a>");
    }

    [Fact]
    public async Task Head_of_a_folder_is_2xx_and_not_octet_stream()
    {
        await using var f = await EmulatorFixture.StartAsync();
        using var response = await f.SendAsync(HttpMethod.Head, f.Host.FolderUri("datastore1", "db01"));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
    }

    [Fact]
    public async Task Folder_root_lists_datacenters_and_dcPath_lists_datastores()
    {
        await using var f = await EmulatorFixture.StartAsync();
        var root = await (await f.SendAsync(HttpMethod.Get, new Uri(f.Host.BaseUri, "folder/"))).Content.ReadAsStringAsync();
        root.Should().Contain(">ha-datacenter</a>").And.Contain("href=\"/folder/?dcPath=ha-datacenter\"");
        var dc = await (await f.SendAsync(HttpMethod.Get, new Uri(f.Host.BaseUri, "folder/?dcPath=ha-datacenter"))).Content.ReadAsStringAsync();
        dc.Should().Contain(">datastore1</a>").And.Contain(">Local SSD (1)</a>");
        var ds = await (await f.SendAsync(HttpMethod.Get, new Uri(f.Host.BaseUri, "folder/?dcPath=ha-datacenter&dsName=datastore1"))).Content.ReadAsStringAsync();
        ds.Should().Contain(">db01/</a>").And.Contain(">ISO/</a>");
    }

    [Theory]
    [InlineData("folder", "/folder/")]
    [InlineData("folder?dcPath=ha-datacenter", "/folder/?dcPath=ha-datacenter")]
    [InlineData("folder?dcPath=ha-datacenter&dsName=datastore1", "/folder/?dcPath=ha-datacenter&dsName=datastore1")]
    public async Task Folder_without_its_slash_is_redirected_as_govmomis_simulator_does(string target, string location)
    {
        await using var f = await EmulatorFixture.StartAsync();
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Head })
        {
            using var response = await f.SendAsync(method, new Uri(f.Host.BaseUri, target));
            response.StatusCode.Should().Be(HttpStatusCode.MovedPermanently);
            response.Headers.Location!.OriginalString.Should().Be(location);
        }
    }

    [Theory]
    [InlineData("folder/nope.vmx?dcPath=ha-datacenter&dsName=datastore1")]
    [InlineData("folder/db01/db01.vmx?dcPath=ha-datacenter&dsName=nope")]
    [InlineData("folder/db01/db01.vmx?dcPath=nope&dsName=datastore1")]
    [InlineData("folder/?dcPath=nope")]
    [InlineData("folder/db01/db01.vmx/more?dsName=datastore1")]
    [InlineData("folder/db01/db01.vmx")]
    [InlineData("elsewhere")]
    public async Task Unknown_datacenter_datastore_or_file_is_404(string target)
    {
        await using var f = await EmulatorFixture.StartAsync();
        using var response = await f.SendAsync(HttpMethod.Get, new Uri(f.Host.BaseUri, target));
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/folder/db01/../db01/db01.vmx?dsName=datastore1")]
    [InlineData("/folder/db01/%2E%2E/db01/db01.vmx?dsName=datastore1")]
    [InlineData("/folder/db01%2F..%2Fdb01.vmx?dsName=datastore1")]
    [InlineData("/folder/bad%zzescape?dsName=datastore1")]
    public async Task Dot_dot_segments_and_bad_escapes_are_400(string target)
    {
        await using var f = await EmulatorFixture.StartAsync(options: new EsxiImport.Emulator.Http.EmulatorOptions { UseHttps = false });
        var result = await Curl.RunAsync("-sS", "-o", "/dev/null", "-w", "%{http_code}", "--path-as-is", "-u", "root:vmware!1", f.Host.BaseUri.ToString().TrimEnd('/') + target);
        result.Stdout.Should().Be("400");
    }

    [Fact]
    public async Task Other_methods_are_405()
    {
        await using var f = await EmulatorFixture.StartAsync();
        using var response = await f.SendAsync(HttpMethod.Put, f.Host.FolderUri("datastore1", "db01/db01.vmx"));
        response.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
    }
}
