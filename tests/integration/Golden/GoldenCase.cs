using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace EsxiImport.IntegrationTests.Golden;

/// <summary>
/// One folder of spec/cases: <c>case.yaml</c> (what to set up and run) plus the expected output
/// files next to it. The format is documented in spec/README.md ("Golden cases").
/// </summary>
public sealed class GoldenCase
{
    /// <summary>One line: what the case shows (the case list in spec/README.md repeats it).</summary>
    public string About { get; set; } = "";

    /// <summary><c>mount</c> (esxi-folder-fuse through the plugin), <c>listing</c> (esxi-listvms run directly) or <c>diagnose</c> (esxi-folder-fuse --diagnose run directly).</summary>
    public string Tool { get; set; } = "mount";

    /// <summary><c>default</c> (spec/scenarios/default.yaml) or a scenario file in the case folder.</summary>
    public string Scenario { get; set; } = "default";

    /// <summary>Fault rules in the emulator's one-line syntax, added to the scenario's own.</summary>
    public List<string> Faults { get; set; } = [];

    /// <summary>Extra environment for the tool (client time limits, retry budget).</summary>
    public Dictionary<string, string> Env { get; set; } = [];

    public CaseSetup Setup { get; set; } = new();

    /// <summary>What the plugin passes to esxi-folder-fuse (mount cases).</summary>
    public PluginArguments Plugin { get; set; } = new();

    /// <summary>Arguments put before the plugin's (e.g. <c>--strict</c>).</summary>
    public List<string> ExtraArgs { get; set; } = [];

    /// <summary>esxi-listvms arguments (listing cases) or esxi-folder-fuse arguments (diagnose cases), with placeholders.</summary>
    public List<string> Args { get; set; } = [];

    public string Id { get; private set; } = "";

    public string Folder { get; private set; } = "";

    public static string CasesRoot => Path.Combine(IntegrationTests.Plugin.ToolUnderTest.RepoRoot(), "spec", "cases");

    public static IEnumerable<string> AllIds() =>
        Directory.GetDirectories(CasesRoot).Select(Path.GetFileName).Where(id => File.Exists(Path.Combine(CasesRoot, id!, "case.yaml"))).Order(StringComparer.Ordinal)!;

    public static GoldenCase Load(string id)
    {
        var folder = Path.Combine(CasesRoot, id);
        var c = new DeserializerBuilder()
            .WithNamingConvention(HyphenatedNamingConvention.Instance)
            .Build()
            .Deserialize<GoldenCase>(File.ReadAllText(Path.Combine(folder, "case.yaml")));
        c.Id = id;
        c.Folder = folder;
        if (c.Tool is not ("mount" or "listing" or "diagnose"))
        {
            throw new InvalidDataException($"{id}: tool must be mount, listing or diagnose, not '{c.Tool}'");
        }

        return c;
    }

    public string? ExpectedFile(string name)
    {
        var path = Path.Combine(Folder, name);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }
}

/// <summary>The state of the machine before the tool starts.</summary>
public sealed class CaseSetup
{
    /// <summary>
    /// <c>listing</c> (the scenario's listing), <c>missing</c>, <c>unreadable</c> (a directory),
    /// <c>fifo</c> (a FIFO nobody writes to), <c>large</c> (the listing padded to 40 MiB), or a
    /// file in the case folder.
    /// </summary>
    public string Manifest { get; set; } = "listing";

    /// <summary>
    /// <c>directory</c>, <c>missing</c>, <c>file</c>, <c>busy</c> (a tmpfs with a file and a
    /// process inside), <c>stale-mount</c> (a dead FUSE mount of this tool's type).
    /// </summary>
    public string MountPath { get; set; } = "directory";

    /// <summary><c>password</c> (the scenario user's), <c>trailing-newline</c>, <c>wrong</c>, <c>missing</c>.</summary>
    public string PasswordFile { get; set; } = "password";

    /// <summary>SIGKILL the tool once it has sent its first request to the host (before ready).</summary>
    public bool KillBeforeReady { get; set; }

    /// <summary>
    /// <c>TERM</c>, <c>INT</c> or <c>HUP</c>: send that signal once the tool waits before ready —
    /// for the host's answer (the host saw a request) or, with <c>manifest: fifo</c>, for the
    /// manifest (the tool holds the FIFO open).
    /// </summary>
    public string? SignalBeforeReady { get; set; }

    /// <summary>The signal number sent before ready, or null.</summary>
    public int? SignalNumber => KillBeforeReady ? 9 : SignalBeforeReady switch
    {
        null => null,
        "TERM" => 15,
        "INT" => 2,
        "HUP" => 1,
        var other => throw new InvalidDataException("setup.signal-before-ready: " + other),
    };
}

/// <summary>The plugin's arguments to the tool; placeholders are filled per run (see spec/README.md).</summary>
public sealed class PluginArguments
{
    public string Host { get; set; } = "{host}";

    public string User { get; set; } = "{user}";

    public string PasswordFile { get; set; } = "{password-file}";

    public string Manifest { get; set; } = "{manifest}";

    public string MountPath { get; set; } = "{mount-path}";

    public string ChangeUser { get; set; } = "nobody";

    public string ChangeGroup { get; set; } = "nogroup";

    public string O { get; set; } = "allow_other";

    public bool SkipCertVerification { get; set; } = true;
}
