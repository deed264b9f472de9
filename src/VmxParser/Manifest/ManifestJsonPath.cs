using System.Text;

namespace EsxiImport.VmxParser.Manifest;

/// <summary>
/// The JSONPath of the value being read (<c>$.ha-datacenter.vms.web1.config.path</c>), kept as
/// a stack while the reader descends, so an error can name the exact field. Names that are not
/// plain words are written in bracket form (<c>$['my dc'].vms</c>).
/// </summary>
internal sealed class ManifestJsonPath
{
    private readonly List<string> _segments = [];

    public void PushProperty(string name) =>
        _segments.Add(name.Length > 0 && name.All(c => char.IsLetterOrDigit(c) || c is '_' or '-')
            ? "." + name
            : "['" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "']");

    public void PushIndex(int index) => _segments.Add("[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]");

    public void Pop() => _segments.RemoveAt(_segments.Count - 1);

    public override string ToString()
    {
        var sb = new StringBuilder("$");
        foreach (var s in _segments)
        {
            sb.Append(s);
        }

        return sb.ToString();
    }
}
