namespace EsxiImport.Fuse.Protocol.Requests;

/// <summary>Formats the values of trace lines: numbers invariant, names quoted.</summary>
internal static class TraceText
{
    public static string Of(FormattableString text) => text.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string Quote(string s) =>
        "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
