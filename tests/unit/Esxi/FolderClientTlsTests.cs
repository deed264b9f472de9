using System.Security.Cryptography.X509Certificates;

using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Esxi;

using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace EsxiImport.UnitTests.Esxi;

public sealed class FolderClientTlsTests
{
    private static FolderClient Client(int port, bool skip, Version? httpVersion = null) => new(new FolderClientOptions
    {
        HttpVersion = httpVersion ?? System.Net.HttpVersion.Version11,
        Host = HostAddress.Parse($"127.0.0.1:{port}"),
        User = "root",
        Password = "s3cret",
        SkipCertificateVerification = skip,
        MaxAttempts = 3,
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        RetryMaxDelay = TimeSpan.FromMilliseconds(2),
    });

    [Fact]
    public async Task An_untrusted_certificate_is_a_certificate_error_with_the_catalogue_text_and_no_retry()
    {
        await using var host = await TlsTestHost.StartAsync(HttpProtocols.Http1AndHttp2);
        using var client = Client(host.Port, skip: false);

        var act = () => client.AuthenticateAsync("ha-datacenter", "datastore1");

        var error = (await act.Should().ThrowAsync<ToolError>()).Which;
        error.Kind.Should().Be(ErrorKind.Certificate);
        error.Chain()[^1].Should().Be("Failed to verify certificate - add the CA of your ESXi to the system trust store or skip verification");
        client.Statistics.Requests.Should().Be(1);
        host.Protocols.Should().BeEmpty();
    }

    [Fact]
    public async Task Skipping_verification_connects_and_asks_for_http1_by_default()
    {
        await using var host = await TlsTestHost.StartAsync(HttpProtocols.Http1AndHttp2);
        using var client = Client(host.Port, skip: true);

        await client.AuthenticateAsync("ha-datacenter", "datastore1");

        host.Protocols.Should().Equal("HTTP/1.1");
    }

    [Fact]
    public async Task Asked_for_http2_the_client_negotiates_h2_by_alpn()
    {
        await using var host = await TlsTestHost.StartAsync(HttpProtocols.Http1AndHttp2);
        using var client = Client(host.Port, skip: true, System.Net.HttpVersion.Version20);

        await client.AuthenticateAsync("ha-datacenter", "datastore1");

        host.Protocols.Should().Equal("HTTP/2");
    }

    [Fact]
    public void Skipping_verification_builds_the_chain_without_fetching_anything()
    {
        var policy = FolderClient.ChainPolicy(skipVerification: true);

        policy.Should().NotBeNull();
        policy!.RevocationMode.Should().Be(X509RevocationMode.NoCheck);
        policy.DisableCertificateDownloads.Should().BeTrue();
    }

    [Fact]
    public void Verifying_keeps_the_platform_chain_policy_with_the_system_trust_store()
    {
        FolderClient.ChainPolicy(skipVerification: false).Should().BeNull();
    }

    [Fact]
    public async Task A_host_without_http2_is_reached_over_http1_by_alpn()
    {
        await using var host = await TlsTestHost.StartAsync(HttpProtocols.Http1);
        using var client = Client(host.Port, skip: true, System.Net.HttpVersion.Version20);

        await client.AuthenticateAsync("ha-datacenter", "datastore1");

        host.Protocols.Should().Equal("HTTP/1.1");
    }
}
