using System.Globalization;
using System.Text;

namespace EsxiImport.VmxParser.Manifest;

/// <summary>
/// Writes JSON byte for byte as Python's <c>json.dump(obj, f, indent=2)</c> does (listvms.py's
/// call): ASCII only, every other character as <c>\uXXXX</c> in lower-case hex (UTF-16 code
/// units, so characters above U+FFFF become surrogate pairs), Python's short escapes for
/// <c>" \ \n \r \t \b \f</c>, separators <c>,</c> and <c>: </c>, a new line and two spaces per
/// level before each member, <c>{}</c> and <c>[]</c> for empty containers, no line end after the
/// last brace. The plugin decodes the listing with Perl's <c>from_json</c>, which expects
/// characters: only this ASCII form reaches it unchanged (raw UTF-8 is decoded twice).
/// </summary>
internal sealed class PythonJsonWriter
{
    private const string Indent = "  ";

    private readonly StringBuilder _text = new();

    // Members written so far in each open container, innermost last.
    private readonly Stack<int> _members = new();

    private bool _afterKey;

    public override string ToString() => _text.ToString();

    public void BeginObject() => Begin('{');

    public void EndObject() => End('}');

    public void BeginArray() => Begin('[');

    public void EndArray() => End(']');

    public void Key(string name)
    {
        StartMember();
        AppendString(name);
        _text.Append(": ");
        _afterKey = true;
    }

    public void String(string value)
    {
        StartValue();
        AppendString(value);
    }

    public void Number(long value)
    {
        StartValue();
        _text.Append(value.ToString(CultureInfo.InvariantCulture));
    }

    private void Begin(char open)
    {
        StartValue();
        _text.Append(open);
        _members.Push(0);
    }

    private void End(char close)
    {
        if (_members.Pop() > 0)
        {
            NewLine(_members.Count);
        }

        _text.Append(close);
    }

    /// <summary>A value after its key continues the line; anywhere else it is a member of its own.</summary>
    private void StartValue()
    {
        if (_afterKey)
        {
            _afterKey = false;
            return;
        }

        if (_members.Count > 0)
        {
            StartMember();
        }
    }

    private void StartMember()
    {
        var count = _members.Pop();
        _members.Push(count + 1);
        if (count > 0)
        {
            _text.Append(',');
        }

        NewLine(_members.Count);
    }

    private void NewLine(int depth)
    {
        _text.Append('\n');
        for (var i = 0; i < depth; i++)
        {
            _text.Append(Indent);
        }
    }

    private void AppendString(string value)
    {
        _text.Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => _text.Append("\\\""),
                '\\' => _text.Append("\\\\"),
                '\n' => _text.Append("\\n"),
                '\r' => _text.Append("\\r"),
                '\t' => _text.Append("\\t"),
                '\b' => _text.Append("\\b"),
                '\f' => _text.Append("\\f"),
                >= ' ' and <= '~' => _text.Append(c),
                _ => _text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
            };
        }

        _text.Append('"');
    }
}
