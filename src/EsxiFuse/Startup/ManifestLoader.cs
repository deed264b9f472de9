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
/// The file is read with <see cref="BoundedInput"/>: at most <see cref="BoundedInput.ManifestLimit"/>
/// bytes, and a FIFO nobody writes to ends in an error.
/// </summary>
public static class ManifestLoader
{
    public static Manifest Load(string path, CancellationToken cancellationToken = default)
    {
        byte[] bytes;
        try
        {
            var input = Messages.Format("esxi-folder-fuse.input.manifest", ("path", DebugQuote.Of(path)));
            bytes = BoundedInput.ReadFile(path, input, BoundedInput.ManifestLimit, BoundedInput.DefaultWait, cancellationToken);
        }
        catch (ToolError e) when (!BoundedInput.IsLimit(e))
        {
            throw ToolError.Wrap(e, "esxi-folder-fuse.manifest.read", ("path", DebugQuote.Of(path)));
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
