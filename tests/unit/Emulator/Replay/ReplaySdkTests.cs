using System.Text;

using EsxiImport.Emulator.Replay;
using EsxiImport.Emulator.Scenarios;
using EsxiImport.Emulator.Sessions;
using EsxiImport.FieldReport.Har;
using EsxiImport.TestSupport.Recordings;

using Microsoft.AspNetCore.Http;

namespace EsxiImport.UnitTests.Emulator.Replay;

/// <summary>/sdk answered from a recording: by what a call asks for, in recorded order, behind a real login.</summary>
public sealed class ReplaySdkTests
{
    private const string Login = """<Login xmlns="urn:vim25"><_this type="SessionManager">ha-sessionmgr</_this><userName>admin</userName><password>(removed)</password></Login>""";
    private const string LoginOk = "<LoginResponse>ok</LoginResponse>";
    private const string Fault = "<Fault>NotAuthenticated</Fault>";

    private static string Retrieve(string vm) =>
        $"""<RetrievePropertiesEx xmlns="urn:vim25"><_this type="PropertyCollector">ha-property-collector</_this><specSet><propSet><type>VirtualMachine</type><pathSet>config</pathSet></propSet><objectSet><obj type="VirtualMachine">{vm}</obj></objectSet></specSet></RetrievePropertiesEx>""";

    // The same call in another client's XML style: a prefix, other whitespace.
    private static string RetrievePrefixed(string vm) =>
        $"""<v:RetrievePropertiesEx xmlns:v="urn:vim25">  <v:_this type="PropertyCollector">ha-property-collector</v:_this><v:specSet><v:propSet><v:type>VirtualMachine</v:type><v:pathSet>config</v:pathSet></v:propSet><v:objectSet><v:obj type="VirtualMachine">{vm}</v:obj></v:objectSet></v:specSet></v:RetrievePropertiesEx>""";

    private static (ReplaySdk Sdk, SessionStore Sessions, Scenario Scenario) Replay(params HarEntry[] entries)
    {
        var recorded = Recorded.From(HarEntries.File(entries), "r.har");
        var scenario = ReplayScenario.From(recorded, "r.har");
        var sessions = new SessionStore(TimeSpan.FromMinutes(30));
        return (new ReplaySdk(recorded, scenario, sessions), sessions, scenario);
    }

    private static async Task<(int Status, string Body, string SetCookie)> CallAsync(ReplaySdk sdk, string call, string? cookie = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = "/sdk";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(HarEntries.Envelope(call)));
        if (cookie is not null)
        {
            context.Request.Headers.Cookie = cookie;
        }

        var body = new MemoryStream();
        context.Response.Body = body;
        await sdk.HandleAsync(context);
        return (context.Response.StatusCode, Encoding.UTF8.GetString(body.ToArray()), context.Response.Headers.SetCookie.ToString());
    }

    private static async Task<string> LoginAsync(ReplaySdk sdk)
    {
        var reply = await CallAsync(sdk, Login.Replace("(removed)", ReplayScenario.Password, StringComparison.Ordinal));
        reply.Status.Should().Be(200, reply.Body);
        return reply.SetCookie.Split(';')[0];
    }

    [Fact]
    public async Task Login_takes_the_recorded_user_and_the_replay_password_and_opens_a_fresh_session()
    {
        var (sdk, sessions, scenario) = Replay(HarEntries.Soap(Login, 200, LoginOk));
        scenario.Users.Should().ContainSingle().Which.Name.Should().Be("admin");

        var wrong = await CallAsync(sdk, Login.Replace("(removed)", "guess", StringComparison.Ordinal));
        wrong.Status.Should().Be(500);
        wrong.Body.Should().Contain("InvalidLogin");
        sessions.Count.Should().Be(0);

        var cookie = await LoginAsync(sdk);
        cookie.Should().StartWith("vmware_soap_session=");
        sessions.Count.Should().Be(1);
    }

    [Fact]
    public async Task A_call_without_a_session_is_not_authenticated_even_when_recorded()
    {
        var (sdk, _, _) = Replay(HarEntries.Soap(Login, 200, LoginOk), HarEntries.Soap(Retrieve("1"), 200, "<one/>"));
        var reply = await CallAsync(sdk, Retrieve("1"));
        reply.Status.Should().Be(500);
        reply.Body.Should().Contain("NotAuthenticated");
    }

    [Fact]
    public async Task Calls_are_matched_by_what_they_ask_for_and_answered_in_recorded_order()
    {
        var (sdk, _, _) = Replay(
            HarEntries.Soap(Login, 200, LoginOk),
            HarEntries.Soap(Retrieve("1"), 500, Fault),
            HarEntries.Soap(Retrieve("1"), 200, "<one/>"),
            HarEntries.Soap(Retrieve("2"), 200, "<two/>"));
        var cookie = await LoginAsync(sdk);

        (await CallAsync(sdk, Retrieve("2"), cookie)).Body.Should().Be("<two/>", "the object asked for picks the answer, not the order of methods");
        var first = await CallAsync(sdk, RetrievePrefixed("1"), cookie);
        first.Status.Should().Be(500, "the fault recorded first comes back first, whatever the XML style");
        first.Body.Should().Be(Fault);
        (await CallAsync(sdk, Retrieve("1"), cookie)).Body.Should().Be("<one/>");
        (await CallAsync(sdk, Retrieve("1"), cookie)).Body.Should().Be("<one/>", "a call asked more often than recorded gets its last answer");
    }

    [Fact]
    public async Task A_call_the_recording_never_saw_is_a_fault_naming_the_method()
    {
        var (sdk, _, _) = Replay(HarEntries.Soap(Login, 200, LoginOk));
        var cookie = await LoginAsync(sdk);
        var reply = await CallAsync(sdk, Retrieve("9"), cookie);
        reply.Status.Should().Be(500);
        reply.Body.Should().Contain("NotSupported").And.Contain("The recording holds no answer to this RetrievePropertiesEx call.");

        var junk = await CallAsync(sdk, "not xml <");
        junk.Status.Should().Be(500);
        junk.Body.Should().Contain("InvalidRequest");
    }

    [Fact]
    public async Task The_version_document_is_served_as_recorded_or_not_found()
    {
        var versions = HarEntries.Folder("GET", "x", 200, "text/xml", text: "<namespaces/>") with
        {
            Request = new HarRequest("GET", HarEntries.Host + "/sdk/vimServiceVersions.xml", "HTTP/1.1", [], []),
        };
        var (withVersions, _, _) = Replay(versions);
        (await VersionsAsync(withVersions)).Should().Be((200, "<namespaces/>"));

        var (without, _, _) = Replay(HarEntries.Soap(Login, 200, LoginOk));
        (await VersionsAsync(without)).Status.Should().Be(404);
    }

    private static async Task<(int Status, string Body)> VersionsAsync(ReplaySdk sdk)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        var body = new MemoryStream();
        context.Response.Body = body;
        await sdk.VersionsAsync(context);
        return (context.Response.StatusCode, Encoding.UTF8.GetString(body.ToArray()));
    }

    [Fact]
    public void A_recording_with_nothing_to_replay_or_of_another_har_version_is_refused_naming_the_file()
    {
        FluentActions.Invoking(() => Recorded.From(HarEntries.File(), "empty.har"))
            .Should().Throw<EsxiImport.Diagnostics.ToolError>().Which.Message.Should().Be("recording empty.har holds no exchange with /sdk or /folder");
        var json = HarDocument.Serialize(HarEntries.File(HarEntries.Soap(Login, 200, LoginOk))).Replace("\"version\": \"1.2\"", "\"version\": \"1.1\"", StringComparison.Ordinal);
        FluentActions.Invoking(() => HarDocument.Parse(json, "old.har"))
            .Should().Throw<EsxiImport.Diagnostics.ToolError>().Which.Message.Should().Be("recording old.har is HAR 1.1; HAR 1.2 is read");
    }
}
