namespace EsxiImport.Listing.Cli;

/// <summary>What the listing's command line asks for: a listing, the help text, or the version.</summary>
public abstract record ListVmsCommandLine
{
    private ListVmsCommandLine()
    {
    }

    public sealed record List(ListVmsArguments Arguments) : ListVmsCommandLine;

    public sealed record Help : ListVmsCommandLine;

    public sealed record Version : ListVmsCommandLine;
}
