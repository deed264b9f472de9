using System.Globalization;

using EsxiImport.Diagnostics;

namespace EsxiImport.Listing.Cli;

/// <summary>
/// The upstream arguments: <c>[--skip-cert-verification] [--port N] &lt;hostname&gt; &lt;username&gt; &lt;password-file&gt;</c>.
/// Parsed by hand (a dozen lines) so every text a user can see comes from the message catalogue.
/// </summary>
public sealed record ListVmsArguments(string Host, string User, string PasswordFile, int Port, bool SkipCertificateVerification)
{
    public static ListVmsArguments Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var positional = new List<string>();
        var port = 443;
        var skip = false;
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a == "--skip-cert-verification")
            {
                skip = true;
            }
            else if (a == "--port" || a.StartsWith("--port=", StringComparison.Ordinal))
            {
                var value = a == "--port" ? (i + 1 < args.Count ? args[++i] : "") : a["--port=".Length..];
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
                {
                    throw ToolError.Of("listing.bad-port", ErrorKind.InvalidInput, ("value", value));
                }
            }
            else if (a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2)
            {
                throw ToolError.Of("listing.unknown-option", ErrorKind.InvalidInput, ("option", a));
            }
            else
            {
                positional.Add(a);
            }
        }

        if (positional.Count != 3)
        {
            throw ToolError.Of("listing.usage", ErrorKind.InvalidInput);
        }

        return new ListVmsArguments(positional[0], positional[1], positional[2], port, skip);
    }
}
