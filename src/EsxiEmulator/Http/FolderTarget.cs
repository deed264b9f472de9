using System.Text;

using Microsoft.AspNetCore.WebUtilities;

namespace EsxiImport.Emulator.Http;

/// <summary>
/// A <c>/folder</c> request target, decoded from the raw request line (Kestrel keeps <c>%2F</c>
/// encoded in Request.Path, and clients encode differently): every <c>%XX</c> of the path is
/// decoded as UTF-8, <c>%2F</c> included, a <c>+</c> in the path stays a <c>+</c>; in the query
/// both <c>+</c> and <c>%20</c> are a space. <c>dcName</c> is accepted as an alias of <c>dcPath</c>.
/// </summary>
public sealed record FolderTarget(IReadOnlyList<string> Segments, string? Datacenter, string? Datastore)
{
    /// <summary>The decoded path relative to the datastore root, '/'-joined (what fault globs match).</summary>
    public string Path => string.Join('/', Segments);

    /// <summary>Parses a raw target such as <c>/folder/vm%2Dflat.vmdk?dcPath=ha%2Ddatacenter&amp;dsName=datastore1</c>.</summary>
    /// <returns>The target, or null with a reason when the target is malformed (bad escapes, invalid UTF-8, a <c>..</c> segment).</returns>
    public static FolderTarget? Parse(string rawTarget, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(rawTarget);
        problem = null;
        var q = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = q < 0 ? rawTarget : rawTarget[..q];
        var rawQuery = q < 0 ? "" : rawTarget[q..];
        if (!rawPath.StartsWith("/folder", StringComparison.Ordinal))
        {
            problem = "not a /folder path";
            return null;
        }

        var decoded = PercentDecode(rawPath["/folder".Length..]);
        if (decoded is null)
        {
            problem = "malformed percent-encoding";
            return null;
        }

        var segments = new List<string>();
        foreach (var segment in decoded.Split('/'))
        {
            if (segment == "..")
            {
                problem = "'..' is not allowed in a path";
                return null;
            }

            if (segment.Length > 0 && segment != ".")
            {
                segments.Add(segment);
            }
        }

        var query = QueryHelpers.ParseQuery(rawQuery);
        string? Value(string key) => query.TryGetValue(key, out var v) && v.Count > 0 ? v[0] : null;
        var dc = Value("dcPath") ?? Value("dcName");
        return new FolderTarget(segments, dc?.Trim('/'), Value("dsName"));
    }

    /// <summary>Decodes every <c>%XX</c> to its byte and the result as strict UTF-8; null on a malformed escape or invalid UTF-8.</summary>
    public static string? PercentDecode(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (!raw.Contains('%', StringComparison.Ordinal))
        {
            return raw;
        }

        var bytes = new List<byte>(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '%')
            {
                if (i + 2 >= raw.Length || !IsHex(raw[i + 1]) || !IsHex(raw[i + 2]))
                {
                    return null;
                }

                bytes.Add(Convert.ToByte(raw.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            }
        }

        try
        {
            return new UTF8Encoding(false, true).GetString([.. bytes]);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);
}
