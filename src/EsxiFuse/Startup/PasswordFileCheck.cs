namespace EsxiImport.EsxiFuse.Startup;

/// <summary>
/// A password file others can read leaks the ESXi root password to every local user; the
/// tool still mounts (the plugin writes its own file 0600), but says so.
/// </summary>
public static class PasswordFileCheck
{
    public static bool IsWorldReadable(string? path)
    {
        if (path is null || OperatingSystem.IsWindows())
        {
            return false;
        }

        try
        {
            return (File.GetUnixFileMode(path) & UnixFileMode.OtherRead) != 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Already read successfully by the argument parser; a race here is not worth a failure.
            return false;
        }
    }
}
