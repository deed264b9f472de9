using System.Globalization;

using EsxiImport.Diagnostics;

using YamlDotNet.RepresentationModel;

namespace EsxiImport.Emulator.Scenarios;

/// <summary>
/// Reads the fields of one YAML mapping and turns every problem into a one-line error naming the
/// file, the line and the dotted field path. Fields not read by the loader are reported as unknown,
/// so a typo in a scenario file never passes silently.
/// </summary>
internal sealed class YamlFields
{
    private readonly YamlMappingNode _map;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public YamlFields(string file, string path, YamlNode node)
    {
        File = file;
        Path = path;
        _map = node as YamlMappingNode ?? throw Error(file, node, path, ScenarioMessageIds.NotAMappingMessageId);
    }

    public string File { get; }

    public string Path { get; }

    public YamlNode Node => _map;

    public static ToolError Error(string file, YamlNode node, string field, string messageId, params (string Name, object? Value)[] extra) =>
        ToolError.Of(
            messageId,
            ErrorKind.InvalidInput,
            [("file", file), ("line", node.Start.Line), ("field", field), .. extra]);

    public string Child(string key) => Path.Length == 0 ? key : Path + "." + key;

    public YamlNode? Get(string key)
    {
        _read.Add(key);
        foreach (var (k, v) in _map.Children)
        {
            if (k is YamlScalarNode s && s.Value == key)
            {
                return v;
            }
        }

        return null;
    }

    public string? String(string key)
    {
        var node = Get(key);
        if (node is null || IsNull(node))
        {
            return null;
        }

        return node is YamlScalarNode s ? s.Value ?? "" : throw Error(File, node, Child(key), ScenarioMessageIds.NotAScalarMessageId);
    }

    public string RequiredString(string key)
    {
        var value = String(key);
        if (string.IsNullOrEmpty(value))
        {
            throw Error(File, Get(key) ?? _map, Child(key), ScenarioMessageIds.MissingFieldMessageId);
        }

        return value;
    }

    public long? Long(string key, bool sizeSuffixes)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        if (ParseSize(text, sizeSuffixes) is { } n)
        {
            return n;
        }

        throw Error(File, Get(key)!, Child(key), sizeSuffixes ? ScenarioMessageIds.BadSizeMessageId : ScenarioMessageIds.NotANumberMessageId, ("value", text));
    }

    public int? Int(string key)
    {
        var n = Long(key, false);
        if (n is { } v && (v < 0 || v > int.MaxValue))
        {
            throw Error(File, Get(key)!, Child(key), ScenarioMessageIds.NotANumberMessageId, ("value", v));
        }

        return (int?)n;
    }

    public bool? Bool(string key)
    {
        var text = String(key);
        return text switch
        {
            null => null,
            "true" or "True" or "TRUE" or "yes" => true,
            "false" or "False" or "FALSE" or "no" => false,
            _ => throw Error(File, Get(key)!, Child(key), ScenarioMessageIds.NotABoolMessageId, ("value", text)),
        };
    }

    /// <summary>The list under <paramref name="key"/> (empty when absent), one reader per item.</summary>
    public IEnumerable<(YamlNode Node, string Path)> List(string key)
    {
        var node = Get(key);
        if (node is null || IsNull(node))
        {
            yield break;
        }

        if (node is not YamlSequenceNode seq)
        {
            throw Error(File, node, Child(key), ScenarioMessageIds.NotAListMessageId);
        }

        var i = 0;
        foreach (var item in seq.Children)
        {
            yield return (item, $"{Child(key)}[{i++}]");
        }
    }

    /// <summary>A string-to-string mapping (extraConfig).</summary>
    public Dictionary<string, string> StringMap(string key)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var node = Get(key);
        if (node is null || IsNull(node))
        {
            return result;
        }

        if (node is not YamlMappingNode map)
        {
            throw Error(File, node, Child(key), ScenarioMessageIds.NotAMappingMessageId);
        }

        foreach (var (k, v) in map.Children)
        {
            if (k is not YamlScalarNode ks || v is not YamlScalarNode vs)
            {
                throw Error(File, k, Child(key), ScenarioMessageIds.NotAScalarMessageId);
            }

            result[ks.Value ?? ""] = vs.Value ?? "";
        }

        return result;
    }

    /// <summary>Fails on the first key that no Get call asked for.</summary>
    public void RejectUnknown()
    {
        foreach (var (k, _) in _map.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "";
            if (!_read.Contains(name))
            {
                throw Error(File, k, Child(name), ScenarioMessageIds.UnknownFieldMessageId);
            }
        }
    }

    /// <summary>Parses <c>123</c>, <c>64MiB</c>, <c>4GiB</c>, <c>512KiB</c>, <c>1TiB</c> (binary units only, as disks are).</summary>
    public static long? ParseSize(string text, bool sizeSuffixes)
    {
        var t = text.Trim().Replace("_", "", StringComparison.Ordinal);
        long unit = 1;
        if (sizeSuffixes)
        {
            foreach (var (suffix, factor) in new[] { ("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30), ("TiB", 1L << 40) })
            {
                if (t.EndsWith(suffix, StringComparison.Ordinal))
                {
                    t = t[..^suffix.Length].TrimEnd();
                    unit = factor;
                    break;
                }
            }
        }

        if (!long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return null;
        }

        try
        {
            return checked(n * unit);
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } s && (s.Value is null or "" or "~" or "null");
}
