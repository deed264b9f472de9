using System.Text;

using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Esxi;

using FsCheck;
using FsCheck.Xunit;

namespace EsxiImport.PropertyTests.Esxi;

/// <summary>
/// Escaped names survive a strict RFC 3986 decoder byte for byte (FB-31), and the escaped text
/// holds nothing a server or proxy could read differently: only letters, digits, <c>%XX</c>
/// and, in paths, <c>/</c>.
/// </summary>
public sealed class FolderUrlProperties
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>A decoder written independently of the encoder: %XX to a byte, ASCII as itself, then strict UTF-8.</summary>
    private static string Decode(string escaped)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] == '%')
            {
                bytes.Add(Convert.ToByte(escaped.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.Add(checked((byte)escaped[i]));
            }
        }

        return StrictUtf8.GetString([.. bytes]);
    }

    private static bool IsUnicode(string text)
    {
        try
        {
            StrictUtf8.GetBytes(text);
            return true;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }

    private static bool OnlySafeCharacters(string escaped, bool slash) =>
        escaped.All(c => char.IsAsciiLetterOrDigit(c) || c == '%' || (slash && c == '/'));

    [Property(MaxTest = 1000)]
    public bool Names_round_trip_byte_for_byte(NonNull<string> name)
    {
        var text = name.Get;
        if (!IsUnicode(text))
        {
            try
            {
                FolderUrl.EscapeName(text);
                return false;
            }
            catch (ToolError e)
            {
                return e.MessageId == "esxi.url.not-unicode";
            }
        }

        var escaped = FolderUrl.EscapeName(text);
        return OnlySafeCharacters(escaped, slash: false) && Decode(escaped) == text && Uri.UnescapeDataString(escaped) == text;
    }

    [Property(MaxTest = 1000)]
    public bool Paths_round_trip_byte_for_byte(NonEmptyArray<NonEmptyString> segments)
    {
        var parts = segments.Get.Select(s => s.Get.Replace('/', '_').Replace('\0', '_')).Where(s => s is not ("." or "..")).ToList();
        if (parts.Count == 0 || !parts.All(IsUnicode))
        {
            return true;
        }

        var path = string.Join('/', parts);
        var escaped = FolderUrl.EscapePath(path);
        return OnlySafeCharacters(escaped, slash: true) && Decode(escaped) == path && escaped.Split('/').Length == parts.Count;
    }

    [Property(MaxTest = 1000)]
    public bool The_query_keeps_datacenter_and_datastore_apart(NonEmptyString datacenter, NonEmptyString datastore)
    {
        if (!IsUnicode(datacenter.Get) || !IsUnicode(datastore.Get))
        {
            return true;
        }

        var url = FolderUrl.PathAndQuery(new RemotePath(datacenter.Get, datastore.Get, "f"));
        var query = url[(url.IndexOf('?', StringComparison.Ordinal) + 1)..].Split('&');
        return query.Length == 2
            && Decode(query[0]["dcPath=".Length..]) == datacenter.Get
            && Decode(query[1]["dsName=".Length..]) == datastore.Get;
    }
}
