using EsxiImport.Diagnostics;

namespace EsxiImport.Listing.Cli;

/// <summary>
/// Reads the storage's password file. Exactly one trailing <c>\n</c> is removed, and a <c>\r</c>
/// right before it (a file edited on Windows); everything else, including further newlines, is
/// part of the password — the same rule as the mount tool, so both log in with the same bytes.
/// </summary>
public static class PasswordFile
{
    public static string Normalize(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.EndsWith('\n'))
        {
            content = content[..^1];
            if (content.EndsWith('\r'))
            {
                content = content[..^1];
            }
        }

        return content;
    }

    public static string Read(string path)
    {
        try
        {
            return Normalize(File.ReadAllText(path));
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