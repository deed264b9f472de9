using EsxiImport.Diagnostics;

namespace EsxiImport.Listing.Cli;

/// <summary>
/// Reads the storage's password file and normalises it with <see cref="PasswordText"/>, the rule
/// the mount tool uses too, so both log in with the same bytes.
/// </summary>
public static class PasswordFile
{
    public static string Read(string path)
    {
        try
        {
            return PasswordText.Normalize(File.ReadAllText(path));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw ToolError.Wrap(e, "listing.password-file-missing", ErrorKind.NotFound, ("path", path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ToolError.Wrap(e, "listing.password-file-unreadable", ("path", path), ("error", e.Message));
        }
    }
}
