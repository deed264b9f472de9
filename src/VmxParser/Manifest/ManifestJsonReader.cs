using System.Text;
using System.Text.Json;

using EsxiImport.Diagnostics;

namespace EsxiImport.VmxParser.Manifest;

/// <summary>
/// The recursive descent behind <see cref="ManifestJson.Parse(ReadOnlySpan{byte}, string)"/>.
/// It owns the JSONPath stack and turns every problem — malformed JSON, a value of the wrong
/// type, a missing required field — into a <see cref="ToolError"/> that says where it is.
/// A key given twice in one object is a warning, and the later value wins, whole: that is how
/// upstream's tool (serde into a map) and the plugin (Perl's JSON) read such a file, so the
/// mount shows the VMs the plugin's import wizard offers.
/// </summary>
internal sealed class ManifestJsonReader(byte[] bytes, string fileName)
{
    private readonly ManifestJsonPath _path = new();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly List<string> _warnings = [];

    public Manifest ReadDocument(ref Utf8JsonReader r)
    {
        Next(ref r);
        Expect(ref r, JsonTokenType.StartObject, "an object");
        var datacenters = new OrderedDictionary<string, ManifestDatacenter>(StringComparer.Ordinal);
        while (NextProperty(ref r, out var name))
        {
            datacenters[name] = ReadDatacenter(ref r);
            _path.Pop();
        }

        // Anything after the root object (a second document, junk from a crashed lister) is an error.
        try
        {
            if (r.Read())
            {
                throw SyntaxErrorAt(r.TokenStartIndex);
            }
        }
        catch (JsonException e)
        {
            throw SyntaxError(e);
        }

        return new Manifest(datacenters) { Warnings = _warnings };
    }

    private ManifestDatacenter ReadDatacenter(ref Utf8JsonReader r)
    {
        Expect(ref r, JsonTokenType.StartObject, "an object");
        var datastores = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        var vms = new OrderedDictionary<string, ManifestVm>(StringComparer.Ordinal);
        while (NextProperty(ref r, out var field))
        {
            switch (field)
            {
                case "datastores":
                    Expect(ref r, JsonTokenType.StartObject, "an object");
                    datastores.Clear();
                    while (NextProperty(ref r, out var ds))
                    {
                        datastores[ds] = ReadString(ref r);
                        _path.Pop();
                    }

                    break;
                case "vms":
                    Expect(ref r, JsonTokenType.StartObject, "an object");
                    vms.Clear();
                    while (NextProperty(ref r, out var vm))
                    {
                        vms[vm] = ReadVm(ref r);
                        _path.Pop();
                    }

                    break;
                default:
                    Skip(ref r);
                    break;
            }

            _path.Pop();
        }

        return new ManifestDatacenter(datastores, vms);
    }

    private ManifestVm ReadVm(ref Utf8JsonReader r)
    {
        Expect(ref r, JsonTokenType.StartObject, "an object");
        var objectStart = r.TokenStartIndex;
        ManifestConfig? config = null;
        var disks = new List<ManifestDisk>();
        string? power = null;
        while (NextProperty(ref r, out var field))
        {
            switch (field)
            {
                case "config":
                    config = ReadConfig(ref r);
                    break;
                case "disks" when r.TokenType != JsonTokenType.Null:
                    Expect(ref r, JsonTokenType.StartArray, "an array");
                    disks.Clear();
                    for (var i = 0; NextElement(ref r); i++)
                    {
                        _path.PushIndex(i);
                        disks.Add(ReadDisk(ref r));
                        _path.Pop();
                    }

                    break;
                case "power" when r.TokenType != JsonTokenType.Null:
                    power = ReadString(ref r);
                    break;
                default:
                    Skip(ref r);
                    break;
            }

            _path.Pop();
        }

        return new ManifestVm(config ?? throw Missing("config", objectStart), disks, power);
    }

    private ManifestConfig ReadConfig(ref Utf8JsonReader r)
    {
        Expect(ref r, JsonTokenType.StartObject, "an object");
        var objectStart = r.TokenStartIndex;
        string? datastore = null, path = null, checksum = null;
        while (NextProperty(ref r, out var field))
        {
            switch (field)
            {
                case "datastore":
                    datastore = ReadString(ref r);
                    break;
                case "path":
                    path = ReadString(ref r);
                    break;
                case "checksum" when r.TokenType != JsonTokenType.Null:
                    checksum = ReadString(ref r);
                    break;
                default:
                    Skip(ref r);
                    break;
            }

            _path.Pop();
        }

        return new ManifestConfig(
            datastore ?? throw Missing("datastore", objectStart),
            path ?? throw Missing("path", objectStart),
            checksum ?? ManifestJson.NoChecksum);
    }

    private ManifestDisk ReadDisk(ref Utf8JsonReader r)
    {
        Expect(ref r, JsonTokenType.StartObject, "an object");
        var objectStart = r.TokenStartIndex;
        string? datastore = null, path = null;
        long capacity = 0;
        while (NextProperty(ref r, out var field))
        {
            switch (field)
            {
                case "datastore":
                    datastore = ReadString(ref r);
                    break;
                case "path":
                    path = ReadString(ref r);
                    break;
                case "capacity" when r.TokenType != JsonTokenType.Null:
                    // Old ESXi builds leave capacityInBytes unset and listvms writes null: size unknown, 0.
                    if (r.TokenType != JsonTokenType.Number || !r.TryGetInt64(out capacity) || capacity < 0)
                    {
                        throw WrongType(ref r, "a non-negative integer");
                    }

                    break;
                default:
                    Skip(ref r);
                    break;
            }

            _path.Pop();
        }

        return new ManifestDisk(
            datastore ?? throw Missing("datastore", objectStart),
            path ?? throw Missing("path", objectStart),
            capacity);
    }

    /// <summary>Advances to the next property of the current object and onto its value; false at the object's end.</summary>
    private bool NextProperty(ref Utf8JsonReader r, out string name)
    {
        Next(ref r);
        if (r.TokenType == JsonTokenType.EndObject)
        {
            name = string.Empty;
            return false;
        }

        name = GetString(ref r);
        _path.PushProperty(name);
        var path = _path.ToString();
        if (!_seen.Add(path))
        {
            var (line, column) = Position(r.TokenStartIndex);
            _warnings.Add(Messages.Format("manifest.json.duplicate-key", ("file", fileName), ("line", line), ("column", column), ("path", path)));

            // The later value replaces the earlier one whole: the keys inside it are new again.
            _seen.RemoveWhere(p => p.Length > path.Length && p.StartsWith(path, StringComparison.Ordinal) && p[path.Length] is '.' or '[');
        }

        Next(ref r);
        return true;
    }

    /// <summary>Advances to the next element of the current array; false at the array's end.</summary>
    private bool NextElement(ref Utf8JsonReader r)
    {
        Next(ref r);
        return r.TokenType != JsonTokenType.EndArray;
    }

    private string ReadString(ref Utf8JsonReader r)
    {
        Expect(ref r, JsonTokenType.String, "a string");
        return GetString(ref r);
    }

    private string GetString(ref Utf8JsonReader r)
    {
        try
        {
            return r.GetString() ?? string.Empty;
        }
        catch (InvalidOperationException)
        {
            // Invalid UTF-8 or a lone surrogate escape inside the string.
            throw SyntaxErrorAt(r.TokenStartIndex);
        }
    }

    private void Expect(ref Utf8JsonReader r, JsonTokenType type, string expected)
    {
        if (r.TokenType != type)
        {
            throw WrongType(ref r, expected);
        }
    }

    private void Next(ref Utf8JsonReader r)
    {
        try
        {
            if (!r.Read())
            {
                throw SyntaxErrorAt(bytes.Length);
            }
        }
        catch (JsonException e)
        {
            throw SyntaxError(e);
        }
    }

    private void Skip(ref Utf8JsonReader r)
    {
        try
        {
            r.Skip();
        }
        catch (JsonException e)
        {
            throw SyntaxError(e);
        }
    }

    private ToolError WrongType(ref Utf8JsonReader r, string expected)
    {
        var found = r.TokenType switch
        {
            JsonTokenType.StartObject => "an object",
            JsonTokenType.StartArray => "an array",
            JsonTokenType.String => "a string",
            JsonTokenType.Number => "a number",
            JsonTokenType.True or JsonTokenType.False => "a boolean",
            JsonTokenType.Null => "null",
            _ => r.TokenType.ToString(),
        };
        var (line, column) = Position(r.TokenStartIndex);
        return ToolError.Of(
            "manifest.json.wrong-type",
            ErrorKind.InvalidInput,
            ("file", fileName),
            ("line", line),
            ("column", column),
            ("path", _path.ToString()),
            ("expected", expected),
            ("found", found));
    }

    private ToolError Missing(string field, long objectStart)
    {
        _path.PushProperty(field);
        var (line, column) = Position(objectStart);
        var error = ToolError.Of(
            "manifest.json.missing-field",
            ErrorKind.InvalidInput,
            ("file", fileName),
            ("line", line),
            ("column", column),
            ("path", _path.ToString()));
        _path.Pop();
        return error;
    }

    private ToolError SyntaxError(JsonException e)
    {
        // The reader reports a 0-based line and a byte offset in that line; we show a 1-based
        // line and a 1-based character column, like editors do.
        var line = (int)(e.LineNumber ?? 0);
        var lineStart = 0;
        for (var seen = 0; seen < line && lineStart < bytes.Length; lineStart++)
        {
            if (bytes[lineStart] == '\n')
            {
                seen++;
            }
        }

        var offset = Math.Min(bytes.Length, lineStart + (int)(e.BytePositionInLine ?? 0));
        return SyntaxErrorAt(offset);
    }

    private ToolError SyntaxErrorAt(long offset)
    {
        var (line, column) = Position(offset);
        return ToolError.Of(
            "manifest.json.syntax",
            ErrorKind.InvalidInput,
            ("file", fileName),
            ("line", line),
            ("column", column),
            ("path", _path.ToString()));
    }

    private (int Line, int Column) Position(long offset)
    {
        var end = (int)Math.Min(offset, bytes.Length);
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < end; i++)
        {
            if (bytes[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, Encoding.UTF8.GetCharCount(bytes, lineStart, end - lineStart) + 1);
    }
}
