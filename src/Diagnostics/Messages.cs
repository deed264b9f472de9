using System.Collections.Frozen;
using System.Reflection;
using System.Text;

using YamlDotNet.RepresentationModel;

namespace EsxiImport.Diagnostics;

/// <summary>
/// The message catalogue, <c>spec/messages.yaml</c>, embedded into this assembly. Every
/// user-visible text of every program comes from here, by id; a test checks that the code and
/// the catalogue name the same set of ids.
/// </summary>
public static class Messages
{
    /// <summary>The logical name Diagnostics.csproj gives the embedded catalogue.</summary>
    internal const string CatalogueResource = "messages.yaml";

    private static readonly Lazy<FrozenDictionary<string, MessageDefinition>> Catalogue =
        new(() => LoadEmbedded(typeof(Messages).Assembly, CatalogueResource));

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

        return def.Render(args);
    }

    /// <summary>
    /// Parses catalogue text; exposed so the catalogue test can check the file on disk too. A
    /// duplicate id is refused by the YAML reader itself; an entry without an id or without text,
    /// or with an unclosed placeholder, is a <see cref="FormatException"/>.
    /// </summary>
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
            var id = ((YamlScalarNode)keyNode).Value;
            if (string.IsNullOrEmpty(id))
            {
                throw new FormatException("empty message id");
            }

            var body = (YamlMappingNode)valueNode;
            var text = body.Children.TryGetValue(new YamlScalarNode("text"), out var t) ? ((YamlScalarNode)t).Value : null;
            if (string.IsNullOrEmpty(text))
            {
                throw new FormatException($"message '{id}' has no text");
            }

            // A scalar read from YAML always has a value (even `~` or an empty item); only nodes
            // built in code have none.
            var channels = body.Children.TryGetValue(new YamlScalarNode("channels"), out var c)
                ? ((YamlSequenceNode)c).Children.Select(n => ((YamlScalarNode)n).Value!).ToArray()
                : [];
            result.Add(id, new MessageDefinition(id, text, channels));
        }

        return result.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Reads the catalogue embedded in <paramref name="assembly"/> under <paramref name="resourceName"/>.</summary>
    internal static FrozenDictionary<string, MessageDefinition> LoadEmbedded(Assembly assembly, string resourceName)
    {
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"the message catalogue '{resourceName}' is not embedded in {assembly.GetName().Name}");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Parse(reader);
    }
}
