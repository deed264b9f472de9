using System.Text;

using EsxiImport.Diagnostics;

namespace EsxiImport.EsxiFuse.Esxi;

/// <summary>
/// Builds the path and query of <c>/folder</c> requests the way the newest upstream client does
/// (FB-31): the file path is UTF-8 with every byte except ASCII letters, digits and <c>/</c>
/// percent-encoded, and the datacenter and datastore names are encoded completely (a nested
/// vCenter datacenter <c>Folder1/DC1</c> travels as <c>Folder1%2FDC1</c>). The datacenter goes in
/// <c>dcPath=</c>, the documented parameter (FB-41). Over-escaping is safe: RFC 3986 servers
/// decode <c>%2D</c> like <c>-</c>, while an unescaped <c>#</c>, <c>%</c>, <c>+</c> or <c>?</c>
/// would change which object is asked for.
/// </summary>
public static class FolderUrl
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// <c>/folder/&lt;path&gt;?dcPath=&lt;dc&gt;&amp;dsName=&lt;ds&gt;</c>; for the datastore root
    /// (an empty path) <c>/folder/?dcPath=…</c>, with the slash, as upstream asks for it: govmomi's
    /// simulator answers <c>/folder?…</c> with a redirect, and no real host is known to take it.
    /// </summary>
    public static string PathAndQuery(RemotePath target)
    {
        var query = "?dcPath=" + EscapeName(target.Datacenter) + "&dsName=" + EscapeName(target.Datastore);
        return "/folder/" + (target.Path.Length == 0 ? string.Empty : EscapePath(target.Path)) + query;
    }

    /// <summary>
    /// Escapes a datastore-relative path. Components that would climb out of the datastore or
    /// that the host cannot tell apart (<c>.</c>, <c>..</c>, empty) and NUL are refused, whatever
    /// the caller checked before.
    /// </summary>
    public static string EscapePath(string path)
    {
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == "." || segment == ".." || segment.Contains('\0', StringComparison.Ordinal))
            {
                throw ToolError.Of("esxi.url.bad-segment", ErrorKind.InvalidInput, ("path", "\"" + path + "\""));
            }
        }

        return Escape(path, keepSlash: true);
    }

    /// <summary>Escapes a datacenter or datastore name for the query: every byte but letters and digits.</summary>
    public static string EscapeName(string name) => Escape(name, keepSlash: false);

    private static string Escape(string text, bool keepSlash)
    {
        byte[] bytes;
        try
        {
            bytes = s_strictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException e)
        {
            // A lone surrogate has no UTF-8 form; sending a replacement character would ask for another file.
            throw ToolError.Wrap(e, "esxi.url.not-unicode", ErrorKind.InvalidInput, ("name", "\"" + text + "\""));
        }

        var sb = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (char.IsAsciiLetterOrDigit((char)b) || (keepSlash && b == (byte)'/'))
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append('%').Append(HexDigit(b >> 4)).Append(HexDigit(b & 0xF));
            }
        }

        return sb.ToString();
    }

    private static char HexDigit(int value) => (char)(value < 10 ? '0' + value : 'A' + value - 10);
}
