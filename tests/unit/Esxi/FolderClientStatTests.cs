using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Esxi;

using WireMock.ResponseBuilders;

namespace EsxiImport.UnitTests.Esxi;

public sealed class FolderClientStatTests : IDisposable
{
    private readonly ScriptedFolderHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Octet_stream_with_a_length_is_a_file_of_that_size()
    {
        _host.Server.Given(ScriptedFolderHost.Head()).RespondWith(Response.Create().WithStatusCode(200)
            .WithHeader("Content-Type", ScriptedFolderHost.OctetStream).WithHeader("Content-Length", "123456789012"));
        using var client = _host.Client();

        var entry = await client.StatAsync(ScriptedFolderHost.Disk);

        entry.Should().Be(new RemoteEntry(RemoteEntryKind.File, 123456789012));
    }

    [Theory]
    [InlineData("text/html; charset=utf-8")]
    [InlineData("TEXT/HTML")]
    public async Task An_html_listing_is_a_directory(string type)
    {
        _host.Server.Given(ScriptedFolderHost.Head()).RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", type));
        using var client = _host.Client();

        var entry = await client.StatAsync("ha-datacenter", "datastore1", "vm1");

        entry.Kind.Should().Be(RemoteEntryKind.Directory);
    }

    [Theory]
    [InlineData("application/x-vmdk-disk")]
    [InlineData("text/plain; charset=utf-8")]
    [InlineData(null)]
    public async Task Any_other_answer_with_a_length_is_a_file_whatever_its_type(string? type)
    {
        var response = Response.Create().WithStatusCode(200).WithHeader("Content-Length", "475");
        _host.Server.Given(ScriptedFolderHost.Head()).RespondWith(type is null ? response : response.WithHeader("Content-Type", type));
        using var client = _host.Client();

        var entry = await client.StatAsync(ScriptedFolderHost.Disk);

        entry.Should().Be(new RemoteEntry(RemoteEntryKind.File, 475));
    }

    [Fact]
    public async Task A_file_answer_without_a_length_is_retried_then_an_error()
    {
        _host.Server.Given(ScriptedFolderHost.Head()).RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/plain"));
        using var client = _host.Client(attempts: 2);

        var act = () => client.StatAsync(ScriptedFolderHost.Disk).AsTask();

        (await act.Should().ThrowAsync<ToolError>()).Which.Chain()[^1].Should().Be("http response did not include a content-length");
        _host.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_redirect_of_the_login_check_names_where_it_points_and_is_not_retried()
    {
        _host.Server.Given(ScriptedFolderHost.Head()).RespondWith(Response.Create().WithStatusCode(301).WithHeader("Location", "/folder/?dcPath=ha-datacenter"));
        using var client = _host.Client(attempts: 3);

        var act = () => client.AuthenticateAsync("ha-datacenter", "datastore1");

        (await act.Should().ThrowAsync<ToolError>()).Which.Chain()[^1]
            .Should().Be("http error code 301 Moved Permanently: the host redirects to /folder/?dcPath=ha-datacenter (not followed)");
        _host.Requests.Should().HaveCount(1);
    }

    [Fact]
    public async Task A_404_is_not_found_with_the_file_as_context()
    {
        _host.Server.Given(ScriptedFolderHost.Head()).RespondWith(Response.Create().WithStatusCode(404));
        using var client = _host.Client();

        var act = () => client.StatAsync(ScriptedFolderHost.Disk).AsTask();

        var error = (await act.Should().ThrowAsync<ToolError>()).Which;
        error.Kind.Should().Be(ErrorKind.NotFound);
        error.Chain().Should().Equal("error looking up \"ha-datacenter\"/\"datastore1\"/\"vm1/disk.vmdk\"", "file not found");
    }

    [Fact]
    public async Task A_server_error_during_a_lookup_is_not_reported_as_not_found()
    {
        _host.Server.Given(ScriptedFolderHost.Head()).RespondWith(Response.Create().WithStatusCode(502));
        using var client = _host.Client(attempts: 2);

        var act = () => client.StatAsync(ScriptedFolderHost.Disk).AsTask();

        (await act.Should().ThrowAsync<ToolError>()).Which.Kind.Should().NotBe(ErrorKind.NotFound);
    }

    [Fact]
    public async Task The_session_cookie_from_set_cookie_is_sent_back_without_its_attributes()
    {
        _host.Server.Given(ScriptedFolderHost.Head()).RespondWith(Response.Create().WithStatusCode(200)
            .WithHeader("Content-Type", "text/html")
            .WithHeader("Set-Cookie", "vmware_soap_session=\"52a01262-bf93\"; Path=/; HttpOnly; Secure;"));
        using var client = _host.Client();

        await client.StatAsync("ha-datacenter", "datastore1", "a");
        await client.StatAsync("ha-datacenter", "datastore1", "b");

        var requests = _host.Requests;
        ScriptedFolderHost.Header(requests[0], "Cookie").Should().BeNull();
        ScriptedFolderHost.Header(requests[1], "Cookie").Should().Be("vmware_soap_session=\"52a01262-bf93\"");
        ScriptedFolderHost.Header(requests[1], "Authorization").Should().StartWith("Basic ");
    }

    [Fact]
    public async Task A_401_on_a_cookie_logs_in_again_once_and_then_succeeds()
    {
        _host.Server.Given(ScriptedFolderHost.Head()).InScenario("expiry").WillSetStateTo("expired").RespondWith(Response.Create()
            .WithStatusCode(200).WithHeader("Content-Type", "text/html").WithHeader("Set-Cookie", "vmware_soap_session=old; Path=/"));
        _host.Server.Given(ScriptedFolderHost.Head()).InScenario("expiry").WhenStateIs("expired").WillSetStateTo("renewed")
            .RespondWith(Response.Create().WithStatusCode(401));
        _host.Server.Given(ScriptedFolderHost.Head()).InScenario("expiry").WhenStateIs("renewed").RespondWith(Response.Create()
            .WithStatusCode(200).WithHeader("Content-Type", "text/html").WithHeader("Set-Cookie", "vmware_soap_session=new; Path=/"));
        using var client = _host.Client();

        await client.StatAsync("ha-datacenter", "datastore1", "a");
        await client.StatAsync("ha-datacenter", "datastore1", "b");
        await client.StatAsync("ha-datacenter", "datastore1", "c");

        var cookies = _host.Requests.Select(r => ScriptedFolderHost.Header(r, "Cookie")).ToList();
        cookies.Should().Equal(null, "vmware_soap_session=old", null, "vmware_soap_session=new");
        client.Statistics.Reauthentications.Should().Be(1);
    }

    [Fact]
    public async Task A_401_without_a_session_is_an_authentication_error_at_once()
    {
        _host.Server.Given(ScriptedFolderHost.Head()).RespondWith(Response.Create().WithStatusCode(401).WithHeader("WWW-Authenticate", "Basic realm=\"VMware HTTP server\""));
        using var client = _host.Client();

        var act = () => client.AuthenticateAsync("ha-datacenter", "datastore1");

        var error = (await act.Should().ThrowAsync<ToolError>()).Which;
        error.Kind.Should().Be(ErrorKind.Authentication);
        error.Chain().Should().Equal(
            $"failed to access datastore \"datastore1\" of datacenter \"ha-datacenter\" on 127.0.0.1:{_host.Server.Port}",
            "login refused by the ESXi host: incorrect user name or password (http error code 401)");
        _host.Requests.Should().HaveCount(1);
    }

    [Fact]
    public async Task Authenticate_sends_one_head_of_the_datastore_root()
    {
        _host.Server.Given(ScriptedFolderHost.Head()).RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/html"));
        using var client = _host.Client();

        await client.AuthenticateAsync("ha-datacenter", "Local SSD (1)");

        var request = _host.Requests.Single().RequestMessage;
        request.Method.Should().Be("HEAD");
        request.Path.Should().Be("/folder/");
        request.Query!["dsName"].ToString().Should().Be("Local SSD (1)");
    }

    [Fact]
    public async Task A_refused_connection_is_a_transport_error()
    {
        var options = _host.Options(attempts: 2) with { Host = HostAddress.Parse("127.0.0.1:1") };
        using var client = new FolderClient(options);

        var act = () => client.AuthenticateAsync("ha-datacenter", "datastore1");

        var error = (await act.Should().ThrowAsync<ToolError>()).Which;
        error.Kind.Should().Be(ErrorKind.Transport);
        error.Chain()[^1].Should().StartWith("http request failed: ");
    }

    [Fact]
    public void The_options_never_print_the_password()
    {
        _host.Options().ToString().Should().NotContain("s3cret").And.Contain("User = root");
    }
}
