using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace EsxiImport.FieldReport.Redaction;

/// <summary>
/// Replaces host, datacenter, datastore and VM names with placeholders (<c>vm-1</c>,
/// <c>datastore-2</c>, …) in any text. The same name always gets the same placeholder within
/// one instance, so a redacted report still shows which VM sits on which datastore. Names are
/// matched whole, never inside a longer word (<c>web</c> does not touch <c>webserver</c>), in the
/// forms they take in URLs (percent-escaped, <c>+</c> for a space) and XML (entities) too. A name
/// that only shows up inside a longer word (a VM <c>db</c> in a file <c>dbdata.vmdk</c>) stays
/// there: matching parts of words would also rewrite unrelated text.
/// </summary>
public sealed class Redactor
{
    private const string Letters = @"\p{L}\p{N}";
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _placeholders = new(StringComparer.Ordinal);
    private readonly Dictionary<NameKind, int> _counts = [];
    private Regex? _pattern;
    private Dictionary<string, string> _variants = new(StringComparer.Ordinal);

    /// <summary>The placeholders so far, by original name.</summary>
    public IReadOnlyDictionary<string, string> Names
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, string>(_placeholders, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>
    /// The placeholder of <paramref name="name"/>, registering it under <paramref name="kind"/>
    /// the first time (a name met again under another kind keeps its first placeholder).
    /// Empty and blank names are not names and come back unchanged.
    /// </summary>
    public string Placeholder(NameKind kind, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (string.IsNullOrWhiteSpace(name))
        {
            return name;
        }

        lock (_gate)
        {
            if (_placeholders.TryGetValue(name, out var known))
            {
                return known;
            }

            var number = _counts.GetValueOrDefault(kind) + 1;
            _counts[kind] = number;
            var placeholder = Prefix(kind) + "-" + number.ToString(CultureInfo.InvariantCulture);
            _placeholders[name] = placeholder;
            _pattern = null;
            return placeholder;
        }
    }

    /// <summary>Registers a name (see <see cref="Placeholder"/>).</summary>
    public void Add(NameKind kind, string name) => Placeholder(kind, name);

    /// <summary><paramref name="text"/> with every registered name replaced.</summary>
    public string Apply(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (pattern, variants) = Current();
        return pattern is null ? text : pattern.Replace(text, m => variants[m.Value]);
    }

    /// <summary>
    /// Bytes in any encoding (a <c>.vmx</c> in a legacy code page): each byte is read as one
    /// Latin-1 character, so names written as UTF-8 or as Latin-1 are both found, and every
    /// other byte comes back unchanged.
    /// </summary>
    public byte[] Apply(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return Encoding.Latin1.GetBytes(Apply(Encoding.Latin1.GetString(bytes)));
    }

    private (Regex? Pattern, Dictionary<string, string> Variants) Current()
    {
        lock (_gate)
        {
            if (_pattern is null && _placeholders.Count > 0)
            {
                _variants = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (name, placeholder) in _placeholders)
                {
                    foreach (var variant in Variants(name))
                    {
                        _variants.TryAdd(variant, placeholder);
                    }
                }

                // Longest first, so a name that contains another one is replaced whole.
                var alternatives = _variants.Keys.OrderByDescending(v => v.Length).ThenBy(v => v, StringComparer.Ordinal).Select(Regex.Escape);
                _pattern = new Regex(
                    $"(?<![{Letters}])(?:{string.Join('|', alternatives)})(?![{Letters}])",
                    RegexOptions.CultureInvariant,
                    TimeSpan.FromSeconds(10));
            }

            return (_pattern, _variants);
        }
    }

    /// <summary>The forms a name takes in the texts of an exchange.</summary>
    private static IEnumerable<string> Variants(string name)
    {
        yield return name;
        var escaped = Uri.EscapeDataString(name);
        yield return escaped;
        yield return escaped.Replace("%20", "+", StringComparison.Ordinal);
        yield return System.Security.SecurityElement.Escape(name);
        yield return Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(name));
    }

    private static string Prefix(NameKind kind) => kind switch
    {
        NameKind.Host => "host",
        NameKind.Datacenter => "datacenter",
        NameKind.Datastore => "datastore",
        _ => "vm",
    };
}
