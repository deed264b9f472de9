using System.Text;

namespace EsxiImport.Diagnostics;

/// <summary>A piece of a message template: literal text, or the name of a placeholder.</summary>
internal readonly record struct TemplatePart(string Text, bool IsPlaceholder);

/// <summary>
/// The template syntax of spec/messages.yaml, read in one place so that listing the placeholders
/// and filling them in can never disagree: <c>{name}</c> is a placeholder, <c>{{</c> and
/// <c>}}</c> stand for literal braces, and a lone <c>}</c> is taken literally.
/// </summary>
internal static class MessageTemplate
{
    /// <summary>
    /// Splits <paramref name="template"/> into literal runs and placeholders, in order. Throws
    /// <see cref="FormatException"/> for a <c>{</c> that is never closed, so a broken entry fails
    /// when the catalogue is read instead of when its message is first shown.
    /// </summary>
    public static IReadOnlyList<TemplatePart> Split(string template)
    {
        var parts = new List<TemplatePart>();
        var literal = new StringBuilder();
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c is '{' or '}' && i + 1 < template.Length && template[i + 1] == c)
            {
                literal.Append(c);
                i++;
            }
            else if (c == '{')
            {
                var end = template.IndexOf('}', i + 1);
                if (end < 0)
                {
                    throw new FormatException($"unclosed placeholder in message template: {template}");
                }

                parts.Add(new TemplatePart(literal.ToString(), IsPlaceholder: false));
                literal.Clear();
                parts.Add(new TemplatePart(template[(i + 1)..end], IsPlaceholder: true));
                i = end;
            }
            else
            {
                literal.Append(c);
            }
        }

        parts.Add(new TemplatePart(literal.ToString(), IsPlaceholder: false));
        return parts;
    }
}
