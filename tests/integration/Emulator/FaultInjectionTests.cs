using System.Diagnostics;
using System.Net;
using System.Text;

using EsxiImport.Emulator.Http;
using EsxiImport.Emulator.Scenarios;

namespace EsxiImport.IntegrationTests.Emulator;

public sealed class FaultInjectionTests
{
    private const string Vmx = "db01/db01.vmx";
    private const string Flat = "db01/db01-flat.vmdk";

    private static async Task<HttpStatusCode> StatusOf(EmulatorFixture f, string path = Flat, string? range = "bytes=0-99")
    {
        using var response = await f.GetAsync("datastore1", path, range);
        await response.Content.ReadAsByteArrayAsync();
        return response.StatusCode;
    }

    [Fact]
    public async Task First_n_fires_n_times_with_the_given_status_and_body_and_is_counted()
    {
        await using var f = await EmulatorFixture.StartAsync(options: new EmulatorOptions { FaultRules = ["folder:GET:*-flat.vmdk:first:2:status:503:busy: try later"] });
        var rule = f.Host.Faults.Rules.Single();
        using (var response = await f.GetAsync("datastore1", Flat, "bytes=0-9"))
        {
            response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            (await response.Content.ReadAsStringAsync()).Should().Be("busy: try later");
        }

        (await StatusOf(f)).Should().Be(HttpStatusCode.ServiceUnavailable);
        (await StatusOf(f)).Should().Be(HttpStatusCode.PartialContent);
        (await StatusOf(f, Vmx, null)).Should().Be(HttpStatusCode.OK, "the glob does not match the .vmx");
        rule.Hits.Should().Be(2);
        rule.Matched.Should().Be(3);
        f.Host.Counters.FaultHits(rule.Id).Should().Be(2);
        f.Host.Counters.WithStatus(503).Should().Be(2);
        f.Host.RequestLog.Entries.Select(e => e.FaultsApplied.Count).Should().Equal(1, 1, 0, 0);
    }

    [Fact]
    public async Task Skip_n_then_m_lets_n_pass_then_fires_m_times()
    {
        await using var f = await EmulatorFixture.StartAsync(options: new EmulatorOptions { FaultRules = ["folder:*:*:skip:1:2:status:500"] });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add(await StatusOf(f));
        }

        statuses.Should().Equal(HttpStatusCode.PartialContent, HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError, HttpStatusCode.PartialContent);
    }

    [Fact]
    public async Task Seeded_probability_fires_the_same_requests_in_every_run()
    {
        static async Task<List<HttpStatusCode>> RunAsync()
        {
            await using var f = await EmulatorFixture.StartAsync(options: new EmulatorOptions { FaultRules = ["folder:GET:*:probability:0.5:42:status:503"] });
            var result = new List<HttpStatusCode>();
            for (var i = 0; i < 16; i++)
            {
                result.Add(await StatusOf(f));
            }

            f.Host.Faults.Rules.Single().Hits.Should().Be(result.Count(s => s == HttpStatusCode.ServiceUnavailable));
            return result;
        }

        var first = await RunAsync();
        var second = await RunAsync();
        second.Should().Equal(first);
        first.Should().Contain(HttpStatusCode.ServiceUnavailable).And.Contain(HttpStatusCode.PartialContent);
    }

    [Fact]
    public async Task In_flight_above_n_answers_503_to_the_requests_over_the_limit()
    {
        await using var f = await EmulatorFixture.StartAsync(options: new EmulatorOptions
        {
            FaultRules = ["folder:GET:*:always:delay:400", "folder:GET:*:in-flight-above:2:status:503"],
        });
        var statuses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => StatusOf(f)));
        statuses.Count(s => s == HttpStatusCode.ServiceUnavailable).Should().Be(2);
        f.Host.RequestLog.Entries.Select(e => e.ConcurrencyAtArrival).Order().Should().Equal(1, 2, 3, 4);
        f.Host.Counters.MaxFolderInFlight.Should().Be(4);
    }

    [Fact]
    public async Task The_scenario_limit_on_folder_requests_in_flight_gives_the_rhttpproxy_503()
    {
        var scenario = ScenarioLoader.Parse(
            """
            datacenters: [{ datastores: [{ name: ds, files: [{ path: a.bin, size: 100 }] }] }]
            limits: { maxFolderRequestsInFlight: 1 }
            """,
            "limit.yaml",
            ".");
        await using var f = await EmulatorFixture.StartAsync(scenario, new EmulatorOptions { FaultRules = ["folder:GET:*:always:delay:400"] });
        var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => f.GetAsync("ds", "a.bin")));
        responses.Count(r => r.StatusCode == HttpStatusCode.ServiceUnavailable).Should().Be(2);
        var busy = responses.First(r => r.StatusCode == HttpStatusCode.ServiceUnavailable);
        (await busy.Content.ReadAsStringAsync()).Should().StartWith("503 Service Unavailable (Failed to connect to endpoint:");
        busy.Headers.RetryAfter.Should().BeNull();
        f.Host.Counters.RejectedBusy.Should().Be(2);
    }

    [Fact]
    public async Task Reset_before_drops_the_connection_without_a_response()
    {
        await using var f = await EmulatorFixture.StartAsync(options: new EmulatorOptions { FaultRules = ["folder:GET:*.vmx:first:1:reset-before"] });
        var act = () => f.GetAsync("datastore1", Vmx);
        await act.Should().ThrowAsync<HttpRequestException>();
        (await StatusOf(f, Vmx, null)).Should().Be(HttpStatusCode.OK);
        f.Host.Faults.Rules.Single().Hits.Should().Be(1);
    }

    [Fact]
    public async Task Reset_mid_body_after_n_bytes_cuts_the_body_short()
    {
        await using var f = await EmulatorFixture.StartAsync(options: new EmulatorOptions { FaultRules = ["folder:GET:*-flat.vmdk:after-bytes:1048576:reset-mid-body"] });
        var result = await Curl.RunAsync("-sS", "--http1.1", "--cacert", f.Host.CertificatePemPath!, "-u", "root:vmware!1", "-o", "/dev/null", "-w", "%{size_download}", f.Host.FolderUri("datastore1", Flat).ToString());
        result.ExitCode.Should().NotBe(0);
        long.Parse(result.Stdout, System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThanOrEqualTo(1 << 20).And.BeLessThan(128L << 20);
        f.Host.Faults.Rules.Single().Hits.Should().Be(1);
        f.Host.RequestLog.Entries.Single().BytesSent.Should().Be(1 << 20);
    }

    [Fact]
    public async Task Truncate_announces_the_full_length_and_sends_half()
    {
        await using var f = await EmulatorFixture.StartAsync(options: new EmulatorOptions { FaultRules = ["folder:GET:*.vmx:always:truncate"] });
        var full = f.Expected("datastore1", Vmx).Length;
        var result = await Curl.RunAsync("-sS", "--http1.1", "--cacert", f.Host.CertificatePemPath!, "-u", "root:vmware!1", "-D", "-", "-o", "/dev/null", "-w", "size=%{size_download}", f.Host.FolderUri("datastore1", Vmx).ToString());
        result.ExitCode.Should().BeOneOf([18, 56], "curl reports a partial file or a cut connection");
        result.Stdout.ToLowerInvariant().Should().Contain($"content-length: {full}").And.EndWith($"size={full / 2}");
    }

    [Fact]
    public async Task Delay_and_trickle_slow_the_answer_down()
    {
        await using var f = await EmulatorFixture.StartAsync(options: new EmulatorOptions { FaultRules = ["folder:GET:*.vmx:always:delay:300", "folder:GET:*.nvram:always:trickle:20000"] });
        var sw = Stopwatch.StartNew();
        (await StatusOf(f, Vmx, null)).Should().Be(HttpStatusCode.OK);
        sw.ElapsedMilliseconds.Should().BeGreaterThanOrEqualTo(290);
        sw.Restart();
        using var nvram = await f.GetAsync("datastore1", "db01/db01.nvram");
        (await nvram.Content.ReadAsByteArrayAsync()).Should().Equal(f.Expected("datastore1", "db01/db01.nvram"));
        sw.ElapsedMilliseconds.Should().BeGreaterThanOrEqualTo(350, "8684 bytes at 20000 B/s take over 0.4 s");
        f.Host.Counters.AllFaultHits.Should().Be(2);
    }

    [Fact]
    public async Task Content_type_actions_replace_or_remove_the_type_and_html_replaces_the_body()
    {
        await using var f = await EmulatorFixture.StartAsync(options: new EmulatorOptions
        {
            FaultRules = ["folder:GET:*.vmx:always:content-type:text/plain; charset=utf-8", "folder:HEAD:*.vmx:always:no-content-type", "folder:GET:*.nvram:first:1:html"],
        });
        using (var typed = await f.GetAsync("datastore1", Vmx))
        {
            typed.Content.Headers.ContentType!.ToString().Should().Be("text/plain; charset=utf-8");
        }

        using (var head = await f.SendAsync(HttpMethod.Head, f.Host.FolderUri("datastore1", Vmx)))
        {
            head.Content.Headers.ContentType.Should().BeNull();
            head.Content.Headers.ContentLength.Should().Be(f.Expected("datastore1", Vmx).Length);
        }

        using var html = await f.GetAsync("datastore1", "db01/db01.nvram");
        html.StatusCode.Should().Be(HttpStatusCode.OK);
        html.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        (await html.Content.ReadAsStringAsync()).Should().Contain("Please log in");
    }

    [Fact]
    public async Task Size_and_ignore_range_make_the_host_contradict_the_files_size()
    {
        await using var f = await EmulatorFixture.StartAsync(options: new EmulatorOptions
        {
            FaultRules = ["folder:*:*-flat.vmdk:first:3:size:1000", "folder:GET:*.nvram:always:ignore-range", "folder:GET:*.vmx:always:ignore-range", "folder:GET:*.vmx:always:size:10"],
        });
        var flat = f.Expected("datastore1", Flat);

        using (var head = await f.SendAsync(HttpMethod.Head, f.Host.FolderUri("datastore1", Flat)))
        {
            head.Content.Headers.ContentLength.Should().Be(1000, "a HEAD tells the smaller size");
        }

        using (var smaller = await f.GetAsync("datastore1", Flat, "bytes=900-1999"))
        {
            smaller.StatusCode.Should().Be(HttpStatusCode.PartialContent);
            smaller.Content.Headers.ContentRange!.ToString().Should().Be("bytes 900-999/1000");
            (await smaller.Content.ReadAsByteArrayAsync()).Should().Equal(flat[900..1000]);
        }

        using (var past = await f.GetAsync("datastore1", Flat, "bytes=5000-5999"))
        {
            past.StatusCode.Should().Be(HttpStatusCode.RequestedRangeNotSatisfiable, "a 416 inside the real file");
            past.Content.Headers.ContentRange!.ToString().Should().Be("bytes */1000");
        }

        using (var whole = await f.GetAsync("datastore1", "db01/db01.nvram", "bytes=10-19"))
        {
            whole.StatusCode.Should().Be(HttpStatusCode.OK);
            (await whole.Content.ReadAsByteArrayAsync()).Should().Equal(f.Expected("datastore1", "db01/db01.nvram"));
        }

        using var shortWhole = await f.GetAsync("datastore1", Vmx, "bytes=0-99");
        shortWhole.StatusCode.Should().Be(HttpStatusCode.OK);
        (await shortWhole.Content.ReadAsByteArrayAsync()).Should().Equal(f.Expected("datastore1", Vmx)[..10], "a short 200");
        (await StatusOf(f)).Should().Be(HttpStatusCode.PartialContent, "the size rule fired three times");
    }

    [Fact]
    public async Task Expire_session_ends_the_cookie_session_so_the_next_cookie_request_is_401()
    {
        await using var f = await EmulatorFixture.StartAsync(options: new EmulatorOptions { FaultRules = ["folder:GET:*:skip:1:1:expire-session"] });
        using var login = await f.GetAsync("datastore1", Vmx);
        var cookie = login.Headers.GetValues("Set-Cookie").Single();
        using var expired = await f.SendAsync(HttpMethod.Get, f.Host.FolderUri("datastore1", Vmx), auth: false, cookie: cookie);
        expired.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        f.Host.Sessions.Count.Should().Be(0);
    }

    [Fact]
    public async Task Soap_fault_finds_the_method_by_namespace_whatever_the_prefix()
    {
        await using var f = await EmulatorFixture.StartAsync(options: new EmulatorOptions { FaultRules = ["sdk:POST:Retrieve*:always:soap-fault:NotAuthenticated"] });
        const string Envelope =
            """<?xml version="1.0"?><e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><v:RetrieveServiceContent xmlns:v="urn:vim25"><v:_this type="ServiceInstance">ServiceInstance</v:_this></v:RetrieveServiceContent></e:Body></e:Envelope>""";
        using var response = await f.Client.PostAsync(new Uri(f.Host.BaseUri, "sdk"), new StringContent(Envelope, Encoding.UTF8, "text/xml"));
        response.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        var body = await response.Content.ReadAsStringAsync();
        body.Should().Contain("<faultstring>Injected fault: NotAuthenticated</faultstring>").And.Contain("xsi:type=\"NotAuthenticated\"");
        f.Host.RequestLog.Entries.Single().Subject.Should().Be("RetrieveServiceContent");

        using var other = await f.Client.PostAsync(new Uri(f.Host.BaseUri, "sdk"), new StringContent(Envelope.Replace("RetrieveServiceContent", "Login", StringComparison.Ordinal), Encoding.UTF8, "text/xml"));
        // With the SOAP service present, Login without credentials is a real InvalidLogin fault: only check the rule did not fire.
        (await other.Content.ReadAsStringAsync()).Should().NotContain("Injected fault");
        using var garbage = await f.Client.PostAsync(new Uri(f.Host.BaseUri, "sdk"), new StringContent("<<not xml", Encoding.UTF8, "text/xml"));
        (await garbage.Content.ReadAsStringAsync()).Should().NotContain("Injected fault");
    }

    [Fact]
    public async Task Rules_can_be_added_and_removed_while_running()
    {
        await using var f = await EmulatorFixture.StartAsync();
        (await StatusOf(f)).Should().Be(HttpStatusCode.PartialContent);
        var rule = f.Host.Faults.Add("folder:GET:*:always:status:502");
        (await StatusOf(f)).Should().Be(HttpStatusCode.BadGateway);
        f.Host.Faults.Remove(rule).Should().BeTrue();
        (await StatusOf(f)).Should().Be(HttpStatusCode.PartialContent);
        rule.Hits.Should().Be(1);
        var log = f.Host.RequestLog.Entries;
        log.Should().HaveCount(3);
        log[0].Range.Should().Be("bytes=0-99");
        log[0].Subject.Should().Be(Flat);
        log[0].Status.Should().Be(206);
        log[0].BytesSent.Should().Be(100);
        log[1].Status.Should().Be(502);
    }

    [Fact]
    public async Task Scenario_rules_come_first_then_command_line_rules()
    {
        var scenario = ScenarioLoader.Parse(
            """
            datacenters: [{ datastores: [{ name: ds, files: [{ path: a.bin, size: 10 }] }] }]
            faults:
              - { endpoint: folder, match: "*.bin", trigger: "first:1", action: "status:500" }
            """,
            "rules.yaml",
            ".");
        await using var f = await EmulatorFixture.StartAsync(scenario, new EmulatorOptions { FaultRules = ["folder:GET:*.bin:first:2:status:503"] });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var r = await f.GetAsync("ds", "a.bin");
            statuses.Add(r.StatusCode);
        }

        // Request 1: the scenario rule ends it, so the second rule never sees it; request 2: the second rule's first hit.
        statuses.Should().Equal(HttpStatusCode.InternalServerError, HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable);
        f.Host.Faults.Rules.Select(r => r.Id).Should().Equal(1, 2);
    }
}
