namespace EsxiImport.TestSupport.Plugin;

/// <summary>
/// One activation as the plugin performs it. The defaults are the plugin's fixed options
/// (<c>--change-user nobody --change-group nogroup -o allow_other</c>); cases that reproduce other
/// failures override them.
/// </summary>
public sealed record PluginLaunchRequest
{
    /// <summary>The tool's command: the executable and any leading arguments (<c>dotnet x.dll</c>).</summary>
    public required IReadOnlyList<string> ToolCommand { get; init; }

    public required string Host { get; init; }

    public required string ManifestPath { get; init; }

    public required string MountPath { get; init; }

    public required string User { get; init; }

    public required string PasswordFile { get; init; }

    public bool SkipCertificateVerification { get; init; }

    public string ChangeUser { get; init; } = "nobody";

    public string ChangeGroup { get; init; } = "nogroup";

    public string MountOptions { get; init; } = "allow_other";

    public PluginVariant Variant { get; init; } = PluginVariant.Today;

    /// <summary>How long to wait for EOF on the ready pipe before reporting a hang.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Extra environment for the tool (e.g. the syslog socket of a test).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The tool's arguments in the plugin's order, with the ready fd number given.</summary>
    public IReadOnlyList<string> ToolArguments(int readyFd)
    {
        var args = new List<string>();
        if (SkipCertificateVerification)
        {
            args.Add("--skip-cert-verification");
        }

        args.AddRange([
            "--change-user", ChangeUser, "--change-group", ChangeGroup, "-o", MountOptions,
            "--ready-fd", readyFd.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--user", User, "--password-file", PasswordFile, Host, ManifestPath, MountPath,
        ]);
        return args;
    }
}
