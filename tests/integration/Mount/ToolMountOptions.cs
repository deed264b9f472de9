namespace EsxiImport.IntegrationTests.Mount;

/// <summary>How to start the tool: extra arguments, environment, emulator fault rules and what counts as started.</summary>
public sealed record ToolMountOptions
{
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>Run this executable instead of <see cref="ToolMount.ToolPath"/> (a copy of the build, for instance).</summary>
    public string? ToolPath { get; init; }

    /// <summary>Run the tool as this user from the start (through setpriv), instead of as root.</summary>
    public string? RunAsUser { get; init; }

    /// <summary>Fault rules for the emulator <see cref="ToolMount.StartAsync"/> starts.</summary>
    public IReadOnlyList<string> FaultRules { get; init; } = [];

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Mount into this directory instead of the fixture's own (the stale-mount test reuses one).</summary>
    public string? MountPoint { get; init; }

    /// <summary>False: return once the tool runs; <see cref="ToolMount.ReadyText"/> completes at EOF on the ready fd.</summary>
    public bool WaitForReady { get; init; } = true;

    /// <summary>True: a tool that does not become ready fails the start; false: the caller checks the ready text.</summary>
    public bool RequireReady { get; init; } = true;

    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public bool SkipCertificateVerification { get; init; } = true;

    /// <summary>False: no <c>--password-file</c>, the tool has to find the password elsewhere.</summary>
    public bool PasswordFile { get; init; } = true;

    /// <summary>The manifest's text instead of the scenario's own listing (a hand-written or odd manifest).</summary>
    public string? ManifestText { get; init; }

    /// <summary>The <c>host:port</c> the tool connects to instead of the emulator's (a proxy in front of it).</summary>
    public string? HostAuthority { get; init; }

    /// <summary>The <c>--log-level</c> to pass; null leaves the tool's default.</summary>
    public string? LogLevel { get; init; } = "info";
}
