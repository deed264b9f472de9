using System.Net;
using System.Net.Http.Headers;
using System.Text;

using EsxiImport.Diagnostics;
using EsxiImport.FieldReport.Har;
using EsxiImport.FieldReport.Recording;

namespace EsxiImport.UnitTests.FieldReport;

public sealed class HttpRecorderTests
{
    private const string Password = "s3cret-Pa55";
    private const string SessionId = "52c1a8f0-aaaa-bbbb-cccc-0123456789ab";

    private static readonly string LoginRequest =
        $"<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><Login xmlns=\"urn:vim25\"><_this type=\"SessionManager\">ha-sessionmgr</_this><userName>root</userName><password>{Password}</password></Login></soapenv:Body></soapenv:Envelope>";

    private static readonly string ListingResponse =
        "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><RetrievePropertiesExResponse xmlns=\"urn:vim25\"><returnval>"
        + "<objects><obj type=\"VirtualMachine\">1</obj><propSet><name>name</name><val>name</val></propSet>"
        + "<propSet><name>config.files.vmPathName</name><val>[fast] name/name.vmx</val></propSet></objects>"
        + "<objects><obj type=\"Datacenter\">ha-datacenter</obj><propSet><name>name</name><val>lab</val></propSet></objects>"
        + $"<session>{SessionId}</session></returnval></RetrievePropertiesExResponse></soapenv:Body></soapenv:Envelope>";

    private static readonly byte[] Vmx = Encoding.Latin1.GetBytes(".encoding = \"windows-1252\"\ndisplayName = \"name\"\nnote = \"caf\xe9\"\nscsi0:0.fileName = \"name.vmdk\"\n");

    /// <summary>A host that answers by path, as the tools' requests expect.</summary>
    private static HttpResponseMessage Answer(HttpRequestMessage request)
    {
        var path = request.RequestUri!.AbsolutePath;
        HttpResponseMessage response;
        if (path == "/sdk")
        {
            var body = request.Content!.ReadAsStringAsync().Result;
            response = new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(body.Contains("<Login", StringComparison.Ordinal) ? "<ok/>" : ListingResponse, Encoding.UTF8, "text/xml"),
            };
            response.Headers.TryAddWithoutValidation("Set-Cookie", $"vmware_soap_session=\"{SessionId}\"; Path=/; HttpOnly; Secure;");
        }
        else if (path.EndsWith(".vmx", StringComparison.Ordinal))
        {
            response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Vmx) };
            response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        }
        else if (path.EndsWith("-flat.vmdk", StringComparison.Ordinal))
        {
            response = new HttpResponseMessage(HttpStatusCode.PartialContent) { Content = new ByteArrayContent(new byte[4096]) };
            response.Content.Headers.ContentRange = new ContentRangeHeaderValue(0, 4095, 1L << 30);
        }
        else if (path.EndsWith("missing.vmx.bak", StringComparison.Ordinal))
        {
            throw new HttpRequestException("reset", new IOException("Connection reset by peer"));
        }
        else
        {
            response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("503 Service Unavailable (busy)") };
        }

        response.RequestMessage = request;
        return response;
    }

    private static (HttpClient Client, FieldRecording Recording) Recorded(bool redact)
    {
        var recording = new FieldRecording("test", redact);
        return (new HttpClient(new HttpRecorder(recording, new StubHandler(Answer))), recording);
    }

    private static async Task ExchangeAllAsync(HttpClient client)
    {
        using var login = new HttpRequestMessage(HttpMethod.Post, "https://esx.lab.example:8443/sdk") { Content = new StringContent(LoginRequest, Encoding.UTF8, "text/xml") };
        (await client.SendAsync(login)).StatusCode.Should().Be(HttpStatusCode.OK);
        using var list = new HttpRequestMessage(HttpMethod.Post, "https://esx.lab.example:8443/sdk") { Content = new StringContent("<RetrievePropertiesEx/>", Encoding.UTF8, "text/xml") };
        list.Headers.TryAddWithoutValidation("Cookie", $"vmware_soap_session=\"{SessionId}\"");
        (await (await client.SendAsync(list)).Content.ReadAsStringAsync()).Should().Be(ListingResponse);
        using var vmx = new HttpRequestMessage(HttpMethod.Get, "https://esx.lab.example:8443/folder/name/name.vmx?dcPath=lab&dsName=fast");
        vmx.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("root:" + Password)));
        (await (await client.SendAsync(vmx)).Content.ReadAsByteArrayAsync()).Should().Equal(Vmx);
        using var disk = new HttpRequestMessage(HttpMethod.Get, "https://esx.lab.example:8443/folder/name/name-flat.vmdk?dcPath=lab&dsName=fast");
        disk.Headers.Range = new RangeHeaderValue(0, 4095);
        (await (await client.SendAsync(disk)).Content.ReadAsByteArrayAsync()).Should().HaveCount(4096);
        using var busy = new HttpRequestMessage(HttpMethod.Head, "https://esx.lab.example:8443/folder/name/name.nvram?dcPath=lab&dsName=fast");
        (await client.SendAsync(busy)).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        using var reset = new HttpRequestMessage(HttpMethod.Get, "https://esx.lab.example:8443/folder/name/missing.vmx.bak?dcPath=lab&dsName=fast");
        await FluentActions.Awaiting(() => client.SendAsync(reset)).Should().ThrowAsync<HttpRequestException>();
    }

    [Fact]
    public async Task Every_exchange_is_recorded_in_order_with_statuses_sizes_and_small_text_bodies_only()
    {
        var (client, recording) = Recorded(redact: false);
        using (client)
        {
            await ExchangeAllAsync(client);
        }

        var entries = HarDocument.Parse(HarDocument.Serialize(recording.Build()), "test").Log.Entries;
        entries.Select(e => e.Index).Should().Equal(1, 2, 3, 4, 5, 6);
        entries.Select(e => e.Response.Status).Should().Equal(200, 200, 200, 206, 503, 0);
        entries[1].Response.Content.Text.Should().Be(ListingResponse.Replace(SessionId, "(removed)", StringComparison.Ordinal));
        HarDocument.BodyBytes(entries[2].Response.Content).Should().Equal(Vmx, "a .vmx in a legacy encoding is kept as bytes");
        entries[2].Response.Content.Encoding.Should().Be("base64");
        entries[3].Response.Content.Should().Match<HarContent>(c => c.Text == null && c.Size == 1L << 30 && c.Omitted == "disk-content");
        entries[3].Request.Headers.Should().Contain(new HarHeader("Range", "bytes=0-4095"));
        entries[4].Response.Content.Omitted.Should().Be("head");
        entries[5].Error.Should().StartWith("reset: Connection reset by peer");
        entries[2].Request.QueryString.Should().Equal(new HarQueryParameter("dcPath", "lab"), new HarQueryParameter("dsName", "fast"));
    }

    [Fact]
    public async Task No_credential_is_recorded()
    {
        var (client, recording) = Recorded(redact: false);
        using (client)
        {
            await ExchangeAllAsync(client);
        }

        var text = HarDocument.Serialize(recording.Build());
        text.Should().NotContain(Password).And.NotContain(SessionId).And.NotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes("root:" + Password)));
        text.Should().Contain("<password>(removed)</password>").And.Contain("Basic (removed)").And.Contain("vmware_soap_session=(removed); Path=/");
        recording.Clean("id " + SessionId).Should().Be("id (removed)");
    }

    [Fact]
    public async Task With_redaction_no_name_is_left_and_the_markup_survives()
    {
        var (client, recording) = Recorded(redact: true);
        using (client)
        {
            await ExchangeAllAsync(client);
        }

        var file = recording.Build();
        var text = HarDocument.Serialize(file);
        foreach (var name in new[] { "esx.lab.example", "=lab", "<val>lab<", "=fast", "[fast]", "name.vmx", "/name/", "<val>name<", "= \"name\"" })
        {
            text.Should().NotContain(name);
        }

        file.Log.Redacted.Should().BeTrue();
        file.Log.Entries[1].Response.Content.Text.Should().Contain("<name>name</name><val>vm-1</val>").And.Contain("[datastore-1] vm-1/vm-1.vmx");
        file.Log.Entries[2].Request.Url.Should().Be("https://host-1:8443/folder/vm-1/vm-1.vmx?dcPath=datacenter-1&dsName=datastore-1");
        Encoding.Latin1.GetString(HarDocument.BodyBytes(file.Log.Entries[2].Response.Content)!).Should().Contain("displayName = \"vm-1\"\nnote = \"caf\xe9\"");
        recording.Clean("VM name on fast").Should().Be("VM vm-1 on datastore-1");
    }

    [Fact]
    public void A_recording_that_is_not_one_is_refused_naming_the_file()
    {
        FluentActions.Invoking(() => HarDocument.Parse("{", "r.har")).Should().Throw<ToolError>().Which.Message.Should().StartWith("recording r.har is not a HAR recording: ");
        FluentActions.Invoking(() => HarDocument.Parse("{\"log\":{}}", "r.har")).Should().Throw<ToolError>().Which.MessageId.Should().Be("fieldreport.recording.invalid");
        FluentActions.Invoking(() => HarDocument.Parse("{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"x\",\"version\":\"1\"},\"entries\":[],\"_format\":9}}", "r.har"))
            .Should().Throw<ToolError>().Which.MessageId.Should().Be("fieldreport.recording.newer-format");
        FluentActions.Invoking(() => HarDocument.Load("/nonexistent/r.har")).Should().Throw<ToolError>().Which.MessageId.Should().Be("fieldreport.recording.unreadable");
        FluentActions.Invoking(() => new FieldRecording("t", false).Save("/nonexistent/dir/r.har")).Should().Throw<ToolError>().Which.MessageId.Should().Be("fieldreport.recording.unwritable");
    }

    [Fact]
    public async Task A_saved_recording_reads_back_equal()
    {
        var (client, recording) = Recorded(redact: false);
        using (client)
        {
            await ExchangeAllAsync(client);
        }

        var path = Path.Combine(Path.GetTempPath(), "recording-" + Guid.NewGuid() + ".har");
        try
        {
            recording.Save(path);
            HarDocument.Serialize(HarDocument.Load(path)).Should().Be(HarDocument.Serialize(recording.Build()));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => Task.FromResult(answer(request));
    }
}
