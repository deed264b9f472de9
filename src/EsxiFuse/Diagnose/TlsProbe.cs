using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Esxi;

namespace EsxiImport.EsxiFuse.Diagnose;

/// <summary>
/// A TLS handshake of its own, before any HTTP: the protocol, the certificate and whether it is
/// trusted, and (by ALPN, one handshake per protocol offered alone) which HTTP versions the host
/// speaks. Nothing is sent after the handshake.
/// </summary>
internal static class TlsProbe
{
    private static readonly (SslApplicationProtocol Alpn, string Name)[] Versions =
    [
        (SslApplicationProtocol.Http2, "HTTP/2"),
        (SslApplicationProtocol.Http11, "HTTP/1.1"),
    ];

    public static async Task<(TlsFacts Facts, IReadOnlyList<string> HttpVersions)> RunAsync(HostAddress host, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var (facts, _) = await HandshakeAsync(host, null, timeout, cancellationToken).ConfigureAwait(false);
        var offered = new List<string>();
        foreach (var (alpn, name) in Versions)
        {
            var (_, negotiated) = await HandshakeAsync(host, alpn, timeout, cancellationToken).ConfigureAwait(false);

            // A host without ALPN answers nothing: it speaks HTTP/1.1 only.
            if (negotiated == alpn || (negotiated == default && alpn == SslApplicationProtocol.Http11))
            {
                offered.Add(name);
            }
        }

        return (facts, offered);
    }

    private static async Task<(TlsFacts Facts, SslApplicationProtocol Negotiated)> HandshakeAsync(
        HostAddress host, SslApplicationProtocol? alpn, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        X509Certificate2? certificate = null;
        var errors = SslPolicyErrors.None;
        try
        {
            using var tcp = new TcpClient(host.IsIPv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork);
            await tcp.ConnectAsync(host.Host, host.Port ?? 443, deadline.Token).ConfigureAwait(false);
            using var ssl = new SslStream(tcp.GetStream());
            await ssl.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = host.Host,
                    ApplicationProtocols = alpn is { } a ? [a] : null,
                    CertificateChainPolicy = FolderClient.ChainPolicy(skipVerification: false),
                    RemoteCertificateValidationCallback = (_, cert, _, policyErrors) =>
                    {
                        certificate = cert is null ? null : new X509Certificate2(cert);
                        errors = policyErrors;
                        return true; // only looked at here; the login decides as the mount does
                    },
                },
                deadline.Token).ConfigureAwait(false);
            var facts = new TlsFacts(
                ProtocolName(ssl.SslProtocol),
                certificate?.Subject ?? string.Empty,
                certificate?.Issuer ?? string.Empty,
                errors == SslPolicyErrors.None,
                errors == SslPolicyErrors.None ? null : errors.ToString());
            return (facts, ssl.NegotiatedApplicationProtocol);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw ToolError.Of("diagnose.tls.timeout", ErrorKind.Timeout, ("host", host.Authority), ("seconds", timeout.TotalSeconds));
        }
        catch (Exception e) when (e is SocketException or IOException or AuthenticationException)
        {
            throw ToolError.Wrap(ToolError.Of("diagnose.cause.text", ErrorKind.Transport, ("text", e.Message)), "diagnose.tls.failed", ErrorKind.Transport, ("host", host.Authority));
        }
        finally
        {
            certificate?.Dispose();
        }
    }

    private static string ProtocolName(SslProtocols protocol) => protocol switch
    {
        SslProtocols.Tls13 => "TLS 1.3",
        SslProtocols.Tls12 => "TLS 1.2",
        _ => protocol.ToString(),
    };
}
