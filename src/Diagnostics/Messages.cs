using System.Collections.Frozen;
using System.Reflection;
using System.Text;

using YamlDotNet.RepresentationModel;

namespace EsxiImport.Diagnostics;

/// <summary>One entry of the message catalogue.</summary>
/// <param name="Id">The stable id code refers to (<c>area.what</c>).</param>
/// <param name="Template">The text, with <c>{name}</c> placeholders.</param>
/// <param name="Channels">Where the text reaches a user: stderr, syslog, ready-fd, plugin, json, http.</param>
public sealed record MessageDefinition(string Id, string Template, IReadOnlyList<string> Channels)
{
    /// <summary>The placeholder names the template uses, in order of first appearance.</summary>
    public IReadOnlyList<string> Placeholders { get; } = Messages.PlaceholdersOf(Template);
}

/// <summary>
/// The message catalogue, <c>spec/messages.yaml</c>, embedded into this assembly. Every
/// user-visible text of every program comes from here, by id; a test checks that the code and
/// the catalogue name the same set of ids.
/// </summary>
public static class Messages
{
    private static readonly Lazy<FrozenDictionary<string, MessageDefinition>> Catalogue = new(Load);

    /// <summary>Every catalogue entry, keyed by id.</summary>
    public static IReadOnlyDictionary<string, MessageDefinition> All => Catalogue.Value;

    /// <summary>The text of a message that has no placeholders.</summary>
    public static string Text(string id) => Format(id);

    /// <summary>
    /// Formats message <paramref name="id"/> with named arguments. An unknown id, a missing
    /// argument or an argument the template does not use is a programming error and throws.
    /// </summary>
    public static string Format(string id, params (string Name, object? Value)[] args)
    {
        if (!Catalogue.Value.TryGetValue(id, out var def))
        {
            throw new KeyNotFoundException($"message id '{id}' is not in spec/messages.yaml");
        }

        foreach (var (name, _) in args)
        {
            if (!def.Placeholders.Contains(name))
            {
                throw new ArgumentException($"message '{id}' has no placeholder {{{name}}}", nameof(args));
            }
        }

        var sb = new StringBuilder(def.Template.Length + 32);
        var t = def.Template;
        for (var i = 0; i < t.Length; i++)
        {
            if (t[i] == '{' && i + 1 < t.Length && t[i + 1] == '{')
            {
                sb.Append('{');
                i++;
                continue;
            }

            if (t[i] == '}' && i + 1 < t.Length && t[i + 1] == '}')
            {
                sb.Append('}');
                i++;
                continue;
            }

            if (t[i] != '{')
            {
                sb.Append(t[i]);
                continue;
            }

            var end = t.IndexOf('}', i + 1);
            var name = t[(i + 1)..end];
            var found = false;
            foreach (var (argName, value) in args)
            {
                if (argName == name)
                {
                    sb.Append(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                throw new ArgumentException($"message '{id}' needs a value for {{{name}}}", nameof(args));
            }

            i = end;
        }

        return sb.ToString();
    }

    internal static IReadOnlyList<string> PlaceholdersOf(string template)
    {
        var names = new List<string>();
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] == '{' && i + 1 < template.Length && template[i + 1] == '{')
            {
                i++;
                continue;
            }

            if (template[i] != '{')
            {
                continue;
            }

            var end = template.IndexOf('}', i + 1);
            if (end < 0)
            {
                throw new FormatException($"unclosed placeholder in message template: {template}");
            }

            var name = template[(i + 1)..end];
            if (!names.Contains(name))
            {
                names.Add(name);
            }

            i = end;
        }

        return names;
    }

    /// <summary>Parses catalogue text; exposed so the catalogue test can check the file on disk too.</summary>
    public static FrozenDictionary<string, MessageDefinition> Parse(TextReader reader)
    {
        var yaml = new YamlStream();
        yaml.Load(reader);
        var result = new Dictionary<string, MessageDefinition>(StringComparer.Ordinal);
        if (yaml.Documents.Count == 0)
        {
            return result.ToFrozenDictionary(StringComparer.Ordinal);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        foreach (var (keyNode, valueNode) in root.Children)
        {
            var id = ((YamlScalarNode)keyNode).Value ?? throw new FormatException("empty message id");
            var body = (YamlMappingNode)valueNode;
            var text = body.Children.TryGetValue(new YamlScalarNode("text"), out var t)
                ? ((YamlScalarNode)t).Value ?? string.Empty
                : throw new FormatException($"message '{id}' has no text");
            var channels = body.Children.TryGetValue(new YamlScalarNode("channels"), out var c)
                ? ((YamlSequenceNode)c).Children.Select(n => ((YamlScalarNode)n).Value ?? string.Empty).ToArray()
                : [];
            if (!result.TryAdd(id, new MessageDefinition(id, text, channels)))
            {
                throw new FormatException($"message id '{id}' is defined twice");
            }
        }

        return result.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static FrozenDictionary<string, MessageDefinition> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("messages.yaml")
            ?? throw new InvalidOperationException("the message catalogue is not embedded");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Parse(reader);
    }
}
