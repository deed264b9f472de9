namespace EsxiImport.EsxiFuse.Cli;

/// <summary>What the command line asks for: a mount, the usage text, or the version.</summary>
public abstract record CommandLine
{
    private CommandLine()
    {
    }

    public sealed record Mount(MountArguments Arguments) : CommandLine;

    public sealed record Help : CommandLine;

    public sealed record Version : CommandLine;
}
