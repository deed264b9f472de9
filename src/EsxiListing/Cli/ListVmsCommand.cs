using EsxiImport.Diagnostics;
using EsxiImport.FieldReport.Recording;
using EsxiImport.Listing.Listing;
using EsxiImport.Listing.Soap;
using EsxiImport.VmxParser.Manifest;

namespace EsxiImport.Listing.Cli;

/// <summary>
/// <c>esxi-listvms</c>: log in, list every VM, print the manifest JSON on stdout and notices on
/// stderr; exit 0, or 1 with one error line (the upstream texts for wrong credentials, an
/// untrusted certificate, a missing password file and connection failures), or 2 with argparse's
/// usage and <c>error:</c> lines for a bad command line.
/// </summary>
public static class ListVmsCommand
{
    private const int ExitSuccess = 0;
    private const int ExitFailure = 1;
    private const int ExitUsage = 2;

    /// <summary>Version ids this client speaks, most preferred first (it tolerates unknown fields, so newest is fine).</summary>
    public static readonly IReadOnlyList<string> PreferredVersions =
    [
        "8.0.3.0", "8.0.2.0", "8.0.1.0", "8.0.0.0", "7.0.3.0", "7.0.2.0", "7.0.1.0", "7.0.0.0", "6.7.3", "6.7.2", "6.7.1", "6.7", "6.5", "6.0",
    ];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, Func<VimClientOptions, VimClientOptions>? adjust = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ListVmsArguments a;
        try
        {
            switch (ListVmsArguments.Parse(args))
            {
                case ListVmsCommandLine.Help:
                    await stdout.WriteAsync(ListVmsHelp.Full).ConfigureAwait(false);
                    await stdout.FlushAsync(ct).ConfigureAwait(false);
                    return ExitSuccess;
                case ListVmsCommandLine.Version:
                    await stdout.WriteLineAsync(ProgramVersion.Text).ConfigureAwait(false);
                    await stdout.FlushAsync(ct).ConfigureAwait(false);
                    return ExitSuccess;
                case ListVmsCommandLine.List list:
                    a = list.Arguments;
                    break;
                default:
                    throw new System.Diagnostics.UnreachableException();
            }
        }
        catch (ToolError e)
        {
            await stderr.WriteAsync(ListVmsHelp.Usage + Messages.Format("listing.args.error", ("message", e.Message)) + "\n").ConfigureAwait(false);
            return ExitUsage;
        }

        var recording = a.Record is null ? null : new FieldRecording("esxi-listvms", a.Redact);
        try
        {
            ListingResult result;
            try
            {
                var password = PasswordFile.Read(a.PasswordFile);
                var options = new VimClientOptions(a.Host, a.Port) { SkipCertificateVerification = a.SkipCertificateVerification, Recording = recording };
                options = adjust?.Invoke(options) ?? options;
                result = await ListAsync(options, a.User, password, ct).ConfigureAwait(false);
            }
            finally
            {
                // A failed listing is what a field report needs most: the recording is written either way.
                recording?.Save(a.Record!);
            }

            foreach (var notice in result.Notices)
            {
                await stderr.WriteLineAsync(notice).ConfigureAwait(false);
            }

            // json.dump's bytes exactly: no line end after the JSON (the plugin adds its own).
            await stdout.WriteAsync(ManifestJson.Serialize(result.Manifest)).ConfigureAwait(false);
            await stdout.FlushAsync(ct).ConfigureAwait(false);
            return ExitSuccess;
        }
        catch (ToolError e)
        {
            await stderr.WriteLineAsync(e.Message).ConfigureAwait(false);
            return ExitFailure;
        }
    }

    /// <summary>The whole listing session: versions, login, list, logout.</summary>
    public static async Task<ListingResult> ListAsync(VimClientOptions options, string user, string password, CancellationToken ct = default, Action<VimSoapClient>? inspect = null, int pageSize = 1000)
    {
        using var client = new VimSoapClient(options);
        await client.NegotiateVersionAsync(PreferredVersions, ct).ConfigureAwait(false);
        var service = new VimService(client);
        var content = await service.RetrieveServiceContentAsync(ct).ConfigureAwait(false);
        await service.LoginAsync(content, user, password, ct).ConfigureAwait(false);
        try
        {
            return await new VmLister(service, pageSize).ListAsync(content, ct).ConfigureAwait(false);
        }
        finally
        {
            // Logout failures do not change the result (the session times out on the host anyway).
            try
            {
                await service.LogoutAsync(content, ct).ConfigureAwait(false);
            }
            catch (ToolError)
            {
            }

            inspect?.Invoke(client);
        }
    }
}
