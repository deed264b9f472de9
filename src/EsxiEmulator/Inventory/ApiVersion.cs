namespace EsxiImport.Emulator.Inventory;

/// <summary>
/// A vim25 API version id (<c>6.7</c>, <c>6.7.1</c>, <c>8.0.3.0</c>) compared numerically, so
/// <c>6.7 &lt; 6.7.1 &lt; 6.7.3 &lt; 7.0.0.0</c>. Ids are what SOAPAction and
/// vimServiceVersions.xml carry.
/// </summary>
public sealed record ApiVersion(string Id) : IComparable<ApiVersion>
{
    private readonly int[] _parts = ParseParts(Id) ?? throw new FormatException($"not an API version: {Id}");

    public static bool TryParse(string? text, out ApiVersion version)
    {
        version = null!;
        if (text is null || ParseParts(text) is null)
        {
            return false;
        }

        version = new ApiVersion(text);
        return true;
    }

    public int CompareTo(ApiVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        for (var i = 0; i < Math.Max(_parts.Length, other._parts.Length); i++)
        {
            var a = i < _parts.Length ? _parts[i] : 0;
            var b = i < other._parts.Length ? other._parts[i] : 0;
            if (a != b)
            {
                return a.CompareTo(b);
            }
        }

        return 0;
    }

    public static bool operator <(ApiVersion a, ApiVersion b) => a.CompareTo(b) < 0;

    public static bool operator >(ApiVersion a, ApiVersion b) => a.CompareTo(b) > 0;

    public static bool operator <=(ApiVersion a, ApiVersion b) => a.CompareTo(b) <= 0;

    public static bool operator >=(ApiVersion a, ApiVersion b) => a.CompareTo(b) >= 0;

    public override string ToString() => Id;

    private static int[]? ParseParts(string text)
    {
        var pieces = text.Split('.');
        if (pieces.Length is < 2 or > 4)
        {
            return null;
        }

        var parts = new int[pieces.Length];
        for (var i = 0; i < pieces.Length; i++)
        {
            if (!int.TryParse(pieces[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out parts[i]))
            {
                return null;
            }
        }

        return parts;
    }
}
