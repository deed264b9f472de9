namespace EsxiImport.EsxiFuse.Cli;

/// <summary>What the command line asks for: a mount, a diagnosis, the usage text, or the version.</summary>
public abstract record CommandLine
{
    private CommandLine()
    {
    }

    public sealed record Mount(MountArguments Arguments) : CommandLine;

    /// <summary>
    /// <c>--diagnose</c>: every startup step without serving a mount, then a report. The mount
    /// path may be omitted (<see cref="MountArguments.MountPath"/> is then empty).
    /// </summary>
    public sealed record Diagnose(MountArguments Arguments, DiagnoseOptions Options) : CommandLine;

    public sealed record Help : CommandLine;

    public sealed record Version : CommandLine;
}
