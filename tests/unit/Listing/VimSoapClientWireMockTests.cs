using System.Xml.Linq;

using EsxiImport.Diagnostics;
using EsxiImport.Listing.Soap;
using EsxiImport.Vim25;

using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace EsxiImport.UnitTests.Listing;

/// <summary>The SOAP client against a scripted server: framing, status codes, broken bodies, faults, cookies.</summary>
public sealed class VimSoapClientWireMockTests : IDisposable
{
    private const string Ok = """<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><LogoutResponse xmlns="urn:vim25"></LogoutResponse></soapenv:Body></soapenv:Envelope>""";

    private readonly WireMockServer _server = WireMockServer.Start();

    public void Dispose() => _server.Stop();

    private VimSoapClient Client() => new(new VimClientOptions("127.0.0.1", _server.Port) { Scheme = "http" });

    private static XElement Logout() => new(VimXml.Vim + "Logout", new ManagedObjectReference("SessionManager", "ha-sessionmgr").ToElement(VimXml.Vim + "_this"));

    private void Answer(int status, string body, string contentType = "text/xml") =>
        _server.Given(Request.Create().WithPath("/sdk").UsingPost()).RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", contentType).WithBody(body));

    [Fact]
    public async Task Requests_carry_the_quoted_SOAPAction_and_a_namespaced_envelope()
    {
        Answer(200, Ok);
        using var client = Client();
        client.Version = "8.0.3.0";
        await client.InvokeAsync(Logout());
        var request = _server.LogEntries.Single().RequestMessage;
        request.Headers!["SOAPAction"].Single().Should().Be("\"urn:vim25/8.0.3.0\"");
        var body = XDocument.Parse(request.Body!);
        body.Root!.Name.Should().Be(VimXml.Soap + "Envelope");
        var method = body.Root.Element(VimXml.Soap + "Body")!.Elements().Single();
        method.Name.Should().Be(VimXml.Vim + "Logout");
        method.Element(VimXml.Vim + "_this")!.Attribute("type")!.Value.Should().Be("SessionManager");
    }

    [Fact]
    public async Task The_session_cookie_is_kept_without_its_attributes_and_sent_back()
    {
        _server.Given(Request.Create().WithPath("/sdk").UsingPost()).RespondWith(Response.Create().WithStatusCode(200)
            .WithHeader("Set-Cookie", "vmware_soap_session=\"abc-123\"; Path=/; HttpOnly; Secure;").WithBody(Ok));
        using var client = Client();
        await client.InvokeAsync(Logout());
        client.HasSession.Should().BeTrue();
        await client.InvokeAsync(Logout());
        _server.LogEntries.Last().RequestMessage.Headers!["Cookie"].Single().Should().Be("vmware_soap_session=\"abc-123\"");
    }

    [Fact]
    public async Task An_empty_body_is_a_protocol_error()
    {
        Answer(200, "");
        using var client = Client();
        var error = (await FluentActions.Awaiting(() => client.InvokeAsync(Logout())).Should().ThrowAsync<ToolError>()).Which;
        error.MessageId.Should().Be("listing.soap.empty-response");
        error.Kind.Should().Be(ErrorKind.Protocol);
    }

    [Theory]
    [InlineData(404)]
    [InlineData(502)]
    [InlineData(401)]
    public async Task Statuses_other_than_200_and_500_are_errors_naming_the_status(int status)
    {
        Answer(status, "<html>nope</html>", "text/html");
        using var client = Client();
        var error = (await FluentActions.Awaiting(() => client.InvokeAsync(Logout())).Should().ThrowAsync<ToolError>()).Which;
        error.Message.Should().Be($"unexpected HTTP status {status} from http://127.0.0.1:{_server.Port}/sdk");
    }

    [Fact]
    public async Task Malformed_XML_is_an_error_with_the_parser_detail_in_the_chain()
    {
        Answer(200, "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>");
        using var client = Client();
        var error = (await FluentActions.Awaiting(() => client.InvokeAsync(Logout())).Should().ThrowAsync<ToolError>()).Which;
        error.MessageId.Should().Be("listing.soap.malformed");
        error.Chain().Should().HaveCountGreaterThan(1);
    }

    [Fact]
    public async Task A_500_without_a_fault_is_not_a_SOAP_reply()
    {
        Answer(500, "<html/>");
        using var client = Client();
        var error = (await FluentActions.Awaiting(() => client.InvokeAsync(Logout())).Should().ThrowAsync<ToolError>()).Which;
        error.MessageId.Should().Be("listing.soap.not-soap");
    }

    [Fact]
    public async Task Faults_are_parsed_from_xsi_type_whatever_the_prefix()
    {
        Answer(500, """<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"><Body><Fault><faultcode>ServerFaultCode</faultcode><faultstring>Cannot complete login due to an incorrect user name or password.</faultstring><detail><InvalidLoginFault xmlns="urn:vim25" xmlns:XMLSchema-instance="http://www.w3.org/2001/XMLSchema-instance" XMLSchema-instance:type="InvalidLogin"></InvalidLoginFault></detail></Fault></Body></Envelope>""");
        using var client = Client();
        var response = await client.SendAsync(Logout());
        response.Fault.Should().Be(new VimFault("InvalidLogin", "Cannot complete login due to an incorrect user name or password."));
        var error = (await FluentActions.Awaiting(() => client.InvokeAsync(Logout())).Should().ThrowAsync<ToolError>()).Which;
        error.Kind.Should().Be(ErrorKind.Authentication);
        error.Message.Should().Be("Logout failed: InvalidLogin: Cannot complete login due to an incorrect user name or password.");
    }

    [Fact]
    public async Task A_fault_without_xsi_type_takes_its_type_from_the_element_name()
    {
        Answer(500, """<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>gone</faultstring><detail><ManagedObjectNotFoundFault xmlns="urn:vim25"><obj type="VirtualMachine">9</obj></ManagedObjectNotFoundFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>""");
        using var client = Client();
        (await client.SendAsync(Logout())).Fault!.Type.Should().Be("ManagedObjectNotFound");
        var error = (await FluentActions.Awaiting(() => client.InvokeAsync(Logout())).Should().ThrowAsync<ToolError>()).Which;
        error.Kind.Should().Be(ErrorKind.NotFound);
    }

    [Fact]
    public async Task Version_negotiation_picks_the_first_preferred_id_the_server_lists()
    {
        _server.Given(Request.Create().WithPath("/sdk/vimServiceVersions.xml").UsingGet()).RespondWith(Response.Create().WithStatusCode(200)
            .WithBody("""<namespaces version="1.0"><namespace><name>urn:vim25</name><version>6.7.3</version><priorVersions><version>6.7</version><version>6.5</version></priorVersions></namespace></namespaces>"""));
        using var client = Client();
        (await client.NegotiateVersionAsync(["8.0.3.0", "6.7.3", "6.5"])).Should().Be("6.7.3");
        client.Version.Should().Be("6.7.3");
    }

    [Theory]
    [InlineData(200, "<html>hello</html>")]
    [InlineData(200, "not xml")]
    [InlineData(404, "")]
    [InlineData(200, """<namespaces version="1.0"><namespace><name>urn:vim2</name><version>8.0.3.0</version></namespace></namespaces>""")]
    public async Task Anything_else_is_not_a_VIM_server(int status, string body)
    {
        _server.Given(Request.Create().WithPath("/sdk/vimServiceVersions.xml").UsingGet()).RespondWith(Response.Create().WithStatusCode(status).WithBody(body));
        using var client = Client();
        var error = (await FluentActions.Awaiting(() => client.NegotiateVersionAsync(["8.0.3.0"])).Should().ThrowAsync<ToolError>()).Which;
        error.Message.Should().Be($"127.0.0.1:{_server.Port} is not a VIM server");
    }

    [Fact]
    public async Task Unknown_elements_in_results_are_ignored()
    {
        Answer(200, """<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><RetrievePropertiesExResponse xmlns="urn:vim25"><returnval><futureField>x</futureField><token>t1</token><objects><obj type="VirtualMachine">1</obj><propSet><name>name</name><val xsi:type="xsd:string">a</val><extra/></propSet><missingSet><path>config</path><fault><fault xsi:type="NoPermission"/><localizedMessage/></fault></missingSet></objects></returnval></RetrievePropertiesExResponse></soapenv:Body></soapenv:Envelope>""");
        using var client = Client();
        var result = VimService.ReadResult(await client.InvokeAsync(Logout()));
        result.Token.Should().Be("t1");
        result.Objects.Single().Properties["name"].Value.Should().Be("a");
        result.Objects.Single().MissingSet.Should().Equal(new MissingProperty("config", "NoPermission"));
    }
}
