using EsxiImport.EsxiFuse.Cli;
using EsxiImport.EsxiFuse.Esxi;
using EsxiImport.VmxParser.Manifest;

using Serilog;

namespace EsxiImport.EsxiFuse.Startup;

/// <summary>What the CONNECT step gets, after privileges were dropped.</summary>
/// <param name="Host">Host and optional port; <see cref="HostAddress.Authority"/> goes into URLs.</param>
/// <param name="Credentials">User and password (the password never in logs).</param>
/// <param name="SkipCertificateVerification"><c>--skip-cert-verification</c>.</param>
/// <param name="Cache">The cache sizes the user gave (null: the cache's defaults).</param>
/// <param name="MaxRequests">Requests in flight per host (null: the client's default).</param>
/// <param name="Strict">With <c>--strict</c> every VM of the manifest is checked before this step returns.</param>
/// <param name="Manifest">The parsed manifest.</param>
/// <param name="Log">The tool's logger.</param>
public sealed record ConnectRequest(
    HostAddress Host,
    Credentials Credentials,
    bool SkipCertificateVerification,
    CacheSettings Cache,
    int? MaxRequests,
    bool Strict,
    Manifest Manifest,
    ILogger Log);
