namespace EsxiImport.FieldReport.Redaction;

/// <summary>The parameters of a URL query, decoded the way the host decodes them (<c>+</c> is a space).</summary>
internal static class Query
{
    public static IEnumerable<(string Name, string Value)> Parse(string query)
    {
        foreach (var part in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? "" : part[(eq + 1)..];
            yield return (Decode(name), Decode(value));
        }
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
