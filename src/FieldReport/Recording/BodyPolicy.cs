namespace EsxiImport.FieldReport.Recording;

/// <summary>
/// Which response bodies a recording keeps. SOAP is kept whole. Of <c>/folder</c> answers, only
/// small text files (<c>.vmx</c>, disk descriptors, …), directory listings and error pages are
/// kept; disk contents never are, only their size, so a recording carries no guest data.
/// </summary>
internal static class BodyPolicy
{
    /// <summary>The largest body kept from /folder (a .vmx or a descriptor is a few KiB).</summary>
    public const long SmallFileLimit = 64 * 1024;

    private static readonly string[] DiskSuffixes =
    [
        "-flat.vmdk", "-delta.vmdk", "-sesparse.vmdk", "-ctk.vmdk", "-rdm.vmdk", "-rdmp.vmdk", ".vmem", ".vmss", ".vmsn", ".nvram", ".iso", ".vswp",
    ];

    private static readonly string[] TextSuffixes = [".vmx", ".vmxf", ".vmsd", ".vmdk", ".log", ".txt", ".xml", ".json", ".ovf", ".mf"];

    /// <summary>Why a body is not kept, or null to keep it (pending the binary check).</summary>
    public static string? Omission(Uri url, int status, string? mediaType, long? length)
    {
        if (url.AbsolutePath.StartsWith("/sdk", StringComparison.Ordinal))
        {
            return null;
        }

        var path = Uri.UnescapeDataString(url.AbsolutePath);
        if (status is >= 200 and < 300 && DiskSuffixes.Any(s => path.EndsWith(s, StringComparison.OrdinalIgnoreCase)))
        {
            return "disk-content";
        }

        if (length > SmallFileLimit)
        {
            return "too-large";
        }

        var text = status is < 200 or >= 300
            || mediaType is { } m && (m.StartsWith("text/", StringComparison.OrdinalIgnoreCase) || m.Contains("xml", StringComparison.OrdinalIgnoreCase))
            || TextSuffixes.Any(s => path.EndsWith(s, StringComparison.OrdinalIgnoreCase));
        return text ? null : "binary";
    }

    /// <summary>A body with a NUL byte in its first KiB is not text (a sparse disk header, an nvram).</summary>
    public static bool LooksBinary(ReadOnlySpan<byte> body) => body[..Math.Min(body.Length, 1024)].Contains((byte)0);
}
