namespace EsxiImport.EsxiFuse.Cli;

/// <summary>
/// The program name for the usage line: argv[0] as the caller typed it, like upstream. .NET's
/// own first argument is the managed dll, so the name is read from /proc; when run as
/// <c>dotnet esxi-folder-fuse.dll</c> the tool's own name is used instead of "dotnet".
/// </summary>
public static class ProgramName
{
    public const string Default = "esxi-folder-fuse";

    public static string FromProcess()
    {
        try
        {
            var cmdline = File.ReadAllText("/proc/self/cmdline");
            var arg0 = cmdline.Split('\0')[0];
            return arg0.Length == 0 || Path.GetFileName(arg0) == "dotnet" ? Default : arg0;
        }
        catch (IOException)
        {
            return Default;
        }
    }
}
