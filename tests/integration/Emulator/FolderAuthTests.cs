using System.Net;

namespace EsxiImport.IntegrationTests.Emulator;

public sealed class FolderAuthTests
{
    [Fact]
    public async Task Without_credentials_the_answer_is_401_with_the_VMware_realm()
    {
        await using var f = await EmulatorFixture.StartAsync();
        using var response = await f.SendAsync(HttpMethod.Get, f.Host.FolderUri("datastore1", "db01/db01.vmx"), auth: false);
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().Should().Be("Basic realm=\"VMware HTTP server\"");
        f.Host.Counters.AuthFailures.Should().Be(1);
    }

    [Fact]
    public async Task Wrong_password_is_401_even_with_a_live_cookie()
    {
        await using var f = await EmulatorFixture.StartAsync();
        var session = f.Host.Sessions.Create("root");
        var request = new HttpRequestMessage(HttpMethod.Get, f.Host.FolderUri("datastore1", "db01/db01.vmx"));
        request.Headers.Authorization = f.Basic(password: "wrong");
        request.Headers.TryAddWithoutValidation("Cookie", $"vmware_soap_session=\"{session.Id}\"");
        using var response = await f.Client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Basic_sets_a_session_cookie_that_then_works_alone_quoted_and_with_attributes()
    {
        await using var f = await EmulatorFixture.StartAsync();
        using var first = await f.GetAsync("datastore1", "db01/db01.vmx");
        first.StatusCode.Should().Be(HttpStatusCode.OK);
        var setCookie = first.Headers.GetValues("Set-Cookie").Single();
        setCookie.Should().MatchRegex("^vmware_soap_session=\"[0-9a-f-]{36}\"; Path=/; HttpOnly; Secure;$");

        // Echoed verbatim, attributes included, as the Proxmox client does.
        using var echoed = await f.SendAsync(HttpMethod.Get, f.Host.FolderUri("datastore1", "db01/db01.vmx"), auth: false, cookie: setCookie);
        echoed.StatusCode.Should().Be(HttpStatusCode.OK);
        echoed.Headers.Contains("Set-Cookie").Should().BeFalse("a live cookie needs no new session");

        var bare = setCookie.Split(';')[0].Replace("\"", "", StringComparison.Ordinal);
        using var unquoted = await f.SendAsync(HttpMethod.Head, f.Host.FolderUri("datastore1", "db01/db01.vmx"), auth: false, cookie: "other=1; " + bare);
        unquoted.StatusCode.Should().Be(HttpStatusCode.OK);
        f.Host.Counters.SessionsCreated.Should().Be(1);
    }

    [Fact]
    public async Task An_unknown_or_expired_cookie_is_401()
    {
        await using var f = await EmulatorFixture.StartAsync();
        using var unknown = await f.SendAsync(HttpMethod.Get, f.Host.FolderUri("datastore1", "db01/db01.vmx"), auth: false, cookie: "vmware_soap_session=\"52a01262-bf93-ccce-d379-8dabb3e55560\"");
        unknown.StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var session = f.Host.Sessions.Create("root");
        f.Host.Sessions.Remove(session.Id);
        using var expired = await f.SendAsync(HttpMethod.Get, f.Host.FolderUri("datastore1", "db01/db01.vmx"), auth: false, cookie: $"vmware_soap_session={session.Id}");
        expired.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Malformed_basic_is_401_not_a_crash()
    {
        await using var f = await EmulatorFixture.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, f.Host.FolderUri("datastore1", "db01/db01.vmx"));
        request.Headers.TryAddWithoutValidation("Authorization", "Basic !!!not-base64");
        using var response = await f.Client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }
}
