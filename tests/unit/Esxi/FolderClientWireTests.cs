using System.Text;

using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Esxi;

namespace EsxiImport.UnitTests.Esxi;

/// <summary>What goes over the wire byte for byte, checked against a bare TCP peer.</summary>
public sealed class FolderClientWireTests
{
    private static FolderClientOptions Options(int port, int attempts = 1) =>
        ScriptedFolderHost.FastOptions(port, attempts) with { Password = "pässword:1" };

    [Fact]
    public async Task The_request_line_escapes_names_as_upstream_does()
    {
        await using var peer = new RawHttpPeer(_ => "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
        using var client = new FolderClient(Options(peer.Port));

        await client.StatAsync(new RemotePath("ha-datacenter", "Local SSD (1)", "web #1/100%/a&b/c+d/ümlaut x.vmx"));

        var head = peer.Heads.Single();
        head.Should().StartWith(
            "HEAD /folder/web%20%231/100%25/a%26b/c%2Bd/%C3%BCmlaut%20x%2Evmx?dcPath=ha%2Ddatacenter&dsName=Local%20SSD%20%281%29 HTTP/1.1\r\n");
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("root:pässword:1"));
        head.Should().Contain($"\r\nAuthorization: Basic {basic}\r\n", "Basic auth encodes the password as UTF-8 (FB-04)");
    }

    [Fact]
    public async Task A_body_cut_before_its_content_length_is_never_returned()
    {
        await using var peer = new RawHttpPeer(_ => Encoding.ASCII.GetBytes(
            "HTTP/1.1 206 Partial Content\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 0-9/100\r\nContent-Length: 10\r\nConnection: close\r\n\r\n01234"));
        using var client = new FolderClient(Options(peer.Port, attempts: 3));
        var buffer = new byte[10];

        var act = () => client.ReadAsync(ScriptedFolderHost.Disk, 100, 0, buffer).AsTask();

        (await act.Should().ThrowAsync<ToolError>()).Which.Kind.Should().BeOneOf(ErrorKind.Transport, ErrorKind.Protocol);
        peer.Heads.Should().HaveCount(3, "a cut body is retried up to the attempt limit");
    }

    [Fact]
    public async Task A_cut_body_followed_by_a_good_answer_returns_the_good_bytes()
    {
        await using var peer = new RawHttpPeer(n => Encoding.ASCII.GetBytes(
            "HTTP/1.1 206 Partial Content\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 0-9/100\r\nContent-Length: 10\r\nConnection: close\r\n\r\n"
            + (n == 0 ? "01234" : "abcdefghij")));
        using var client = new FolderClient(Options(peer.Port, attempts: 3));
        var buffer = new byte[10];

        var result = await client.ReadAsync(ScriptedFolderHost.Disk, 100, 0, buffer);

        result.Should().Be(10);
        Encoding.ASCII.GetString(buffer).Should().Be("abcdefghij");
    }

    [Fact]
    public async Task A_bare_ipv6_host_is_bracketed_once_in_the_url()
    {
        var address = HostAddress.Parse("::1");

        address.BaseUri(https: true).ToString().Should().Be("https://[::1]/");
        HostAddress.Parse("[::1]:8443").BaseUri(https: true).ToString().Should().Be("https://[::1]:8443/");
        await Task.CompletedTask;
    }
}
