using EsxiImport.FieldReport.Recording;
using EsxiImport.Vim25;

namespace EsxiImport.Listing.Soap;

/// <summary>How to reach a vSphere endpoint.</summary>
public sealed record VimClientOptions(string Host, int Port = 443)
{
    /// <summary>Accept any server certificate (the upstream <c>--skip-cert-verification</c>).</summary>
    public bool SkipCertificateVerification { get; init; }

    /// <summary><c>https</c>, or <c>http</c> for tests against a plain-HTTP server.</summary>
    public string Scheme { get; init; } = "https";

    /// <summary>Bound on TCP connect + TLS handshake, so a black-holed host fails instead of hanging.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Bound on one request (sending it and reading the whole reply).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Where every exchange is recorded (<c>--record</c>); null records nothing.</summary>
    public FieldRecording? Recording { get; init; }

    /// <summary>The base URI; IPv6 literals get brackets.</summary>
    public Uri BaseUri => new UriBuilder(Scheme, Host.Trim('[', ']'), Port, "/").Uri;
}

/// <summary>The outcome of one SOAP call: the <c>&lt;XResponse&gt;</c> element, or the fault the server sent.</summary>
public sealed record VimResponse(System.Xml.Linq.XElement? Response, VimFault? Fault);
