using System.Net;
using System.Text;

using EsxiImport.Emulator.Scenarios;

namespace EsxiImport.IntegrationTests.Emulator;

/// <summary>Names with every character clients escape differently, fetched with each client's escaping.</summary>
public sealed class FolderEncodingTests
{
    private const string Datastore = "DS #1 [x] & 100% + é";
    private const string Folder = "Földer #2 & [a] 50% + b";
    private const string File = "ñame #%&+ [1] 東京.bin";
    private const string Text = "payload: #%&+ [] Ünïcode\n";

    private static Scenario WeirdScenario() => ScenarioLoader.Parse(
        $$"""
        name: weird
        users: [{ name: "us er", password: "p:ss wörd" }]
        datacenters:
          - name: "DC one"
            datastores:
              - name: "{{Datastore}}"
                files:
                  - path: "{{Folder}}/{{File}}"
                    content: { kind: text, text: "{{Text.Replace("\n", "\\n", StringComparison.Ordinal)}}" }
                  - path: "{{Folder}}/big+plus.bin"
                    size: 1MiB
                    content: { kind: pattern, seed: 5 }
        """,
        "weird.yaml",
        ".");

    /// <summary>Proxmox's new client: every non-alphanumeric byte of the path escaped except '/'.</summary>
    private static string EscapeAllButSlash(string s) =>
        string.Concat(Encoding.UTF8.GetBytes(s).Select(b => char.IsAsciiLetterOrDigit((char)b) || b == '/' ? ((char)b).ToString() : "%" + b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));

    private static string EscapeAll(string s) => EscapeAllButSlash(s).Replace("/", "%2F", StringComparison.Ordinal);

    public static TheoryData<string> Targets() => new()
    {
        // Proxmox (new): path all-but-slash, query all non-alphanumerics.
        "folder/" + EscapeAllButSlash(Folder + "/" + File) + "?dcPath=" + EscapeAll("DC one") + "&dsName=" + EscapeAll(Datastore),
        // Everything escaped, '/' as %2F too.
        "folder/" + EscapeAll(Folder + "/" + File) + "?dcPath=DC%20one&dsName=" + EscapeAll(Datastore),
        // govmomi: RFC 3986 path escaping, query with '+' for space; dcName alias.
        "folder/" + string.Join('/', (Folder + "/" + File).Split('/').Select(Uri.EscapeDataString)) + "?dcName=DC+one&dsName=" + Uri.EscapeDataString(Datastore).Replace("%20", "+", StringComparison.Ordinal),
    };

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Each_clients_escaping_reaches_the_same_file_byte_exact(string target)
    {
        await using var f = await EmulatorFixture.StartAsync(WeirdScenario());
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(f.Host.BaseUri + target, UriKind.Absolute));
        request.Headers.Authorization = f.Basic();
        using var response = await f.Client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK, target);
        (await response.Content.ReadAsByteArrayAsync()).Should().Equal(Encoding.UTF8.GetBytes(Text));
    }

    [Fact]
    public async Task A_literal_plus_in_the_path_stays_a_plus_and_curl_gets_the_same_bytes()
    {
        await using var f = await EmulatorFixture.StartAsync(WeirdScenario());
        var url = f.Host.BaseUri + "folder/" + EscapeAllButSlash(Folder) + "/big+plus.bin?dcPath=DC+one&dsName=" + EscapeAll(Datastore);
        var result = await Curl.RunAsync("-sS", "--fail", "--cacert", f.Host.CertificatePemPath!, "-u", "us er:p:ss wörd", url);
        result.ExitCode.Should().Be(0, result.Stderr);
        result.StdoutBytes.Should().Equal(f.Expected(Datastore, Folder + "/big+plus.bin"));
    }

    [Fact]
    public async Task The_listing_links_lead_back_to_the_files()
    {
        await using var f = await EmulatorFixture.StartAsync(WeirdScenario());
        var html = await (await f.SendAsync(HttpMethod.Get, f.Host.FolderUri(Datastore, Folder, "DC one"))).Content.ReadAsStringAsync();
        var href = System.Text.RegularExpressions.Regex.Match(html, "href=\"([^\"]*b&amp;5D[^\"]*|[^\"]*%E6%9D%B1[^\"]*)\"").Groups[1].Value;
        href.Should().NotBeEmpty();
        using var response = await f.SendAsync(HttpMethod.Get, new Uri(f.Host.BaseUri, WebUtility.HtmlDecode(href)));
        (await response.Content.ReadAsByteArrayAsync()).Should().Equal(Encoding.UTF8.GetBytes(Text));
    }
}
