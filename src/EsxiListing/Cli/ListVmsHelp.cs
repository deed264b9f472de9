using EsxiImport.Diagnostics;

namespace EsxiImport.Listing.Cli;

/// <summary>
/// The usage and help texts, line by line from the catalogue, laid out as argparse lays out
/// listvms.py's at 80 columns (usage wrapped under the program name, help column 24).
/// </summary>
public static class ListVmsHelp
{
    public static string Usage => Messages.Text("listing.usage.synopsis") + "\n" + Messages.Text("listing.usage.optionals-more") + "\n" + Messages.Text("listing.usage.positionals") + "\n";

    public static string Full => Usage + "\n" + string.Join('\n', HelpLines()) + "\n";

    private static IEnumerable<string> HelpLines()
    {
        yield return Messages.Text("listing.help.description");
        yield return string.Empty;
        yield return Messages.Text("listing.help.positionals");
        yield return Messages.Text("listing.help.hostname");
        yield return Messages.Text("listing.help.username");
        yield return Messages.Text("listing.help.password-file");
        yield return Messages.Text("listing.help.password-file-more");
        yield return string.Empty;
        yield return Messages.Text("listing.help.options");
        yield return Messages.Text("listing.help.help");
        yield return Messages.Text("listing.help.version");
        yield return Messages.Text("listing.help.skip-cert-verification");
        yield return Messages.Text("listing.help.skip-cert-verification-more");
        yield return Messages.Text("listing.help.port");
        yield return Messages.Text("listing.help.record");
        yield return Messages.Text("listing.help.record-more");
        yield return Messages.Text("listing.help.redact");
        yield return Messages.Text("listing.help.redact-more");
    }
}
