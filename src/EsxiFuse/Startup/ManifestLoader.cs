using System.Text;

using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Cli;
using EsxiImport.EsxiFuse.Os;
using EsxiImport.VmxParser.Manifest;

namespace EsxiImport.EsxiFuse.Startup;

/// <summary>
/// Reads and validates the manifest file, adding the two contexts upstream uses
/// (<c>failed to read manifest</c>, <c>failed to parse manifest</c>) so the syslog chain says which
/// of the two went wrong, with the file's path, which upstream leaves out (the stderr line shows
/// only the top context); the shared parser adds file, line, column and JSONPath (FB-46).
/// </summary>
public static class ManifestLoader
{
    public static Manifest Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ToolError.Wrap(OsError.Of(OsError.ErrnoOf(e, path)), "esxi-folder-fuse.manifest.read", ("path", DebugQuote.Of(path)));
        }

        try
        {
            return ManifestJson.Parse(bytes, Path.GetFileName(path));
        }
        catch (Exception e) when (e is ToolError or DecoderFallbackException)
        {
            throw ToolError.Wrap(e, "esxi-folder-fuse.manifest.parse", ErrorKind.InvalidInput, ("path", DebugQuote.Of(path)));
        }
    }
}
