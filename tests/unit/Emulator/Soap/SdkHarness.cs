using System.Text;
using System.Xml.Linq;

using EsxiImport.Emulator.Scenarios;
using EsxiImport.Emulator.Sessions;
using EsxiImport.Emulator.Soap;

using Microsoft.AspNetCore.Http;

namespace EsxiImport.UnitTests.Emulator.Soap;

/// <summary>Drives <see cref="SdkService"/> with in-memory HTTP contexts: no sockets, exact bytes in and out.</summary>
internal sealed class SdkHarness
{
    public const string Envelope = """<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soapenv:Body>{0}</soapenv:Body></soapenv:Envelope>""";

    public static readonly XNamespace Vim = "urn:vim25";
    public static readonly XNamespace Soap = "http://schemas.xmlsoap.org/soap/envelope/";
    public static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    public SdkHarness(Scenario? scenario = null)
    {
        Sessions = new SessionStore(TimeSpan.FromMinutes(30));
        Sdk = new SdkService(scenario ?? SoapScenarios.Small(), Sessions);
    }

    public SdkService Sdk { get; }

    public SessionStore Sessions { get; }

    /// <summary>The cookie from the last successful Login, sent with every later call.</summary>
    public string? Cookie { get; set; }

    public string SoapAction { get; set; } = "\"urn:vim25/8.0.3.0\"";

    public async Task<Reply> RawAsync(string body)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = "/sdk";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        context.Request.Headers["SOAPAction"] = SoapAction;
        if (Cookie is not null)
        {
            context.Request.Headers.Cookie = Cookie;
        }

        var response = new MemoryStream();
        context.Response.Body = response;
        await Sdk.HandleAsync(context);
        var text = Encoding.UTF8.GetString(response.ToArray());
        return new Reply(context.Response.StatusCode, text, context.Response.Headers.SetCookie.ToString());
    }

    /// <summary>Sends a method element (written in pyvmomi's style) inside pyvmomi's envelope.</summary>
    public Task<Reply> CallAsync(string methodXml) => RawAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, Envelope, methodXml));

    public async Task LoginAsync(string user = "root", string password = "password")
    {
        var reply = await CallAsync($"""<Login xmlns="urn:vim25"><_this type="SessionManager">ha-sessionmgr</_this><userName>{user}</userName><password>{password}</password></Login>""");
        reply.Status.Should().Be(200, reply.Text);
        Cookie = reply.SetCookie.Split(';')[0];
    }

    public sealed record Reply(int Status, string Text, string SetCookie)
    {
        public XDocument Doc => XDocument.Parse(Text);

        /// <summary>The element inside soapenv:Body (the XResponse or the Fault).</summary>
        public XElement Body => Doc.Root!.Element(Soap + "Body")!.Elements().Single();

        public string FaultType => Body.Element("detail")!.Elements().Single().Attribute(Xsi + "type")!.Value;

        public string FaultString => Body.Element("faultstring")!.Value;
    }
}

internal static class SoapScenarios
{
    public static Scenario Small() => new()
    {
        Datacenters =
        [
            new ScenarioDatacenter
            {
                Datastores = [new ScenarioDatastore { Name = "datastore1", Uuid = "65a0b1c2-d3e4f5a6-0718-000c29aabbcc" }],
                Vms =
                [
                    new ScenarioVm { Name = "vm one", Datastore = "datastore1", PowerState = "poweredOn", ConfigChecksum = "000102", ExtraConfig = new Dictionary<string, string> { ["nvram"] = "vm one.nvram" }, Disks = [new ScenarioDisk { CapacityBytes = 16L << 30 }] },
                    new ScenarioVm { Name = "vm two", Datastore = "datastore1" },
                    new ScenarioVm { Name = "broken", Datastore = "datastore1", ConfigUnavailable = true },
                ],
            },
        ],
    };
}
