using EsxiImport.Emulator.Http;
using EsxiImport.Emulator.Soap;

using Microsoft.AspNetCore.Http;

namespace EsxiImport.IntegrationTests.Emulator;

/// <summary>The same contract seen by curl, the tool people reproduce reports with.</summary>
public sealed class FolderCurlTests
{
    [Fact]
    public async Task Curl_sees_the_exact_401_challenge_then_basic_then_the_cookie()
    {
        await using var f = await EmulatorFixture.StartAsync();
        var url = f.Host.FolderUri("datastore1", "db01/db01.vmx").ToString();
        var ca = f.Host.CertificatePemPath!;

        var denied = await Curl.RunAsync("-sS", "--http1.1", "--cacert", ca, "-D", "-", "-o", "/dev/null", url);
        denied.Stdout.Should().StartWith("HTTP/1.1 401").And.Contain("WWW-Authenticate: Basic realm=\"VMware HTTP server\"\r\n");

        var basic = await Curl.RunAsync("-sS", "--cacert", ca, "-u", "root:vmware!1", "-I", url);
        basic.Stdout.Should().Contain("content-type: application/octet-stream").And.Contain("set-cookie: vmware_soap_session=\"");
        var cookie = basic.Stdout.Split("\r\n").Single(l => l.StartsWith("set-cookie: ", StringComparison.Ordinal))["set-cookie: ".Length..];

        var withCookie = await Curl.RunAsync("-sS", "--fail", "--cacert", ca, "-H", "Cookie: " + cookie, url);
        withCookie.ExitCode.Should().Be(0, withCookie.Stderr);
        withCookie.StdoutBytes.Should().Equal(f.Expected("datastore1", "db01/db01.vmx"));
    }

    [Fact]
    public async Task A_client_offering_only_h2_by_alpn_completes_the_handshake_with_h2()
    {
        await using var f = await EmulatorFixture.StartAsync();
        var psi = new System.Diagnostics.ProcessStartInfo("openssl")
        {
            ArgumentList = { "s_client", "-alpn", "h2", "-connect", $"127.0.0.1:{f.Host.BaseUri.Port}", "-servername", "localhost" },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = System.Diagnostics.Process.Start(psi)!;
        try
        {
            p.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var output = await p.StandardOutput.ReadToEndAsync(timeout.Token);
            await p.WaitForExitAsync(timeout.Token);
            output.Should().Contain("ALPN protocol: h2");
        }
        finally
        {
            if (!p.HasExited)
            {
                p.Kill();
            }
        }
    }

    [Theory]
    [InlineData("bytes=abc")]
    [InlineData("bytes=5-1")]
    [InlineData("bytes=0-1,5-6")]
    [InlineData("items=0-1")]
    public async Task Malformed_or_multi_ranges_are_ignored_and_the_whole_file_is_sent(string range)
    {
        await using var f = await EmulatorFixture.StartAsync();
        using var response = await f.GetAsync("datastore1", "db01/db01.vmx", range);
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        (await response.Content.ReadAsByteArrayAsync()).Should().Equal(f.Expected("datastore1", "db01/db01.vmx"));
    }

    [Fact]
    public async Task Garbage_requests_do_not_hurt_the_server()
    {
        await using var f = await EmulatorFixture.StartAsync(options: new EmulatorOptions { UseHttps = false });
        var b = f.Host.BaseUri.ToString().TrimEnd('/');
        await Curl.RunAsync("-sS", "--path-as-is", b + "/folder/%C3%28?dsName=datastore1");
        await Curl.RunAsync("-sS", "-X", "POST", "--data-binary", "<<<", b + "/sdk");
        await Curl.RunAsync("-sS", "-H", "Range: bytes=-", "-u", "root:vmware!1", b + "/folder/db01/db01.vmx?dsName=datastore1");
        await Curl.RunAsync("-sS", "-H", "Cookie: vmware_soap_session", "-H", "Authorization: Basic", b + "/folder/?dsName=%ZZ");
        var ok = await Curl.RunAsync("-sS", "-o", "/dev/null", "-w", "%{http_code}", "-u", "root:vmware!1", b + "/folder/db01/db01.vmx?dsName=datastore1");
        ok.Stdout.Should().Be("200");
    }

    [Fact]
    public async Task The_sdk_seam_hands_sdk_requests_to_the_given_handler()
    {
        var handler = new RecordingSdk();
        await using var f = await EmulatorFixture.StartAsync(options: new EmulatorOptions { SdkHandlerFactory = (_, _) => handler });
        using var versions = await f.Client.GetAsync(new Uri(f.Host.BaseUri, "sdk/vimServiceVersions.xml"));
        (await versions.Content.ReadAsStringAsync()).Should().Be("versions");
        using var call = await f.Client.PostAsync(new Uri(f.Host.BaseUri, "sdk"), new StringContent("<x/>"));
        (await call.Content.ReadAsStringAsync()).Should().Be("soap");
        f.Host.Counters.SdkRequests.Should().Be(2);
    }

    [Fact]
    public async Task Without_a_sdk_handler_sdk_is_404()
    {
        await using var f = await EmulatorFixture.StartAsync(options: new EmulatorOptions { SdkHandlerFactory = (_, _) => null });
        using var response = await f.Client.GetAsync(new Uri(f.Host.BaseUri, "sdk/vimServiceVersions.xml"));
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_cookie_idle_longer_than_the_scenario_timeout_stops_working()
    {
        var clock = new ManualClock();
        await using var f = await EmulatorFixture.StartAsync(options: new EmulatorOptions { Clock = clock });
        using var login = await f.GetAsync("datastore1", "db01/db01.vmx");
        var cookie = login.Headers.GetValues("Set-Cookie").Single();
        clock.Advance(TimeSpan.FromMinutes(29));
        (await f.SendAsync(HttpMethod.Head, f.Host.FolderUri("datastore1", "db01/db01.vmx"), auth: false, cookie: cookie)).StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        clock.Advance(TimeSpan.FromMinutes(31));
        (await f.SendAsync(HttpMethod.Head, f.Host.FolderUri("datastore1", "db01/db01.vmx"), auth: false, cookie: cookie)).StatusCode.Should().Be(System.Net.HttpStatusCode.Unauthorized);
    }

    private sealed class RecordingSdk : ISdkHandler
    {
        public Task HandleAsync(HttpContext context) => context.Response.WriteAsync("soap");

        public Task VersionsAsync(HttpContext context) => context.Response.WriteAsync("versions");
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
