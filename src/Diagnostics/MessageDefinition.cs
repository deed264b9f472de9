using System.Globalization;
using System.Text;

namespace EsxiImport.Diagnostics;

/// <summary>One entry of the message catalogue.</summary>
/// <param name="Id">The stable id code refers to (<c>area.what</c>).</param>
/// <param name="Template">The text, with <c>{name}</c> placeholders.</param>
/// <param name="Channels">Where the text reaches a user: stderr, syslog, ready-fd, plugin, json, http.</param>
public sealed record MessageDefinition(string Id, string Template, IReadOnlyList<string> Channels)
{
    private IReadOnlyList<TemplatePart> Parts { get; } = MessageTemplate.Split(Template);

    /// <summary>The placeholder names the template uses, in order of first appearance.</summary>
    public IReadOnlyList<string> Placeholders => [.. Parts.Where(p => p.IsPlaceholder).Select(p => p.Text).Distinct()];

    /// <summary>
    /// The template with every placeholder replaced by the first value of that name (formatted
    /// with the invariant culture). A missing value or a value no placeholder uses is a
    /// programming error and throws.
    /// </summary>
    internal string Render((string Name, object? Value)[] args)
    {
        foreach (var (name, _) in args)
        {
            if (!Parts.Any(p => p.IsPlaceholder && p.Text == name))
            {
                throw new ArgumentException($"message '{Id}' has no placeholder {{{name}}}", nameof(args));
            }
        }

        var text = new StringBuilder();
        foreach (var part in Parts)
        {
            if (!part.IsPlaceholder)
            {
                text.Append(part.Text);
                continue;
            }

            var index = Array.FindIndex(args, a => a.Name == part.Text);
            if (index < 0)
            {
                throw new ArgumentException($"message '{Id}' needs a value for {{{part.Text}}}", nameof(args));
            }

            text.Append(Convert.ToString(args[index].Value, CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}
