using EsxiImport.Diagnostics;

namespace EsxiImport.EsxiFuse.Cli;

/// <summary>
/// The usage text, line by line from the catalogue, laid out as upstream's (<c>usage: &lt;arg0&gt; …</c>,
/// then <c>options:</c> and one indented line per option), plus our extra options.
/// </summary>
public static class UsageText
{
    public static string For(string arg0) => string.Join('\n', Lines(arg0)) + "\n";

    private static IEnumerable<string> Lines(string arg0)
    {
        yield return Messages.Format("esxi-folder-fuse.usage.synopsis", ("arg0", arg0));
        yield return Messages.Text("esxi-folder-fuse.usage.options");
        yield return Messages.Text("esxi-folder-fuse.usage.cache-page-size");
        yield return Messages.Text("esxi-folder-fuse.usage.cache-page-count");
        yield return Messages.Text("esxi-folder-fuse.usage.cache-size");
        yield return Messages.Text("esxi-folder-fuse.usage.max-requests");
        yield return Messages.Text("esxi-folder-fuse.usage.user");
        yield return Messages.Text("esxi-folder-fuse.usage.password");
        yield return Messages.Text("esxi-folder-fuse.usage.password-file");
        yield return Messages.Text("esxi-folder-fuse.usage.password-fd");
        yield return Messages.Text("esxi-folder-fuse.usage.user-file");
        yield return Messages.Text("esxi-folder-fuse.usage.mount-option");
        yield return Messages.Text("esxi-folder-fuse.usage.change-user");
        yield return Messages.Text("esxi-folder-fuse.usage.change-group");
        yield return Messages.Text("esxi-folder-fuse.usage.ready-fd");
        yield return Messages.Text("esxi-folder-fuse.usage.skip-cert-verification");
        yield return Messages.Text("esxi-folder-fuse.usage.strict");
        yield return Messages.Text("esxi-folder-fuse.usage.diagnose");
        yield return Messages.Text("esxi-folder-fuse.usage.diagnose-quick");
        yield return Messages.Text("esxi-folder-fuse.usage.diagnose-json");
        yield return Messages.Text("esxi-folder-fuse.usage.redact");
        yield return Messages.Text("esxi-folder-fuse.usage.record");
        yield return Messages.Text("esxi-folder-fuse.usage.debug");
        yield return Messages.Text("esxi-folder-fuse.usage.log-level");
        yield return Messages.Text("esxi-folder-fuse.usage.version");
        yield return Messages.Text("esxi-folder-fuse.usage.help");
    }
}
