using System.Text;
using System.Text.RegularExpressions;

namespace EsxiImport.FieldReport.Recording;

/// <summary>
/// Removes credentials from what is recorded: the value of <c>Authorization</c> and
/// <c>Proxy-Authorization</c>, the values of <c>Cookie</c> and <c>Set-Cookie</c> pairs, and every
/// <c>password</c> element of a SOAP request. Each secret met is also remembered, so
/// <see cref="Scrub"/> removes it wherever else it shows up (a session id echoed in a body).
/// </summary>
internal sealed partial class Secrets
{
    public const string Removed = "(removed)";
    private readonly Lock _gate = new();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    /// <summary>The recorded value of a header.</summary>
    public string Header(string name, string value)
    {
        if (name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) || name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase))
        {
            var space = value.IndexOf(' ', StringComparison.Ordinal);
            var token = space < 0 ? value : value[(space + 1)..];
            Remember(token);
            RememberBasic(token);
            return space < 0 ? Removed : value[..space] + " " + Removed;
        }

        if (name.Equals("Cookie", StringComparison.OrdinalIgnoreCase))
        {
            return string.Join("; ", value.Split(';').Select(p => Pair(p.Trim())));
        }

        if (name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase))
        {
            var semicolon = value.IndexOf(';', StringComparison.Ordinal);
            return semicolon < 0 ? Pair(value) : Pair(value[..semicolon]) + value[semicolon..];
        }

        return value;
    }

    /// <summary>A SOAP request body without the text of its <c>password</c> elements.</summary>
    public string SoapRequest(string xml) => PasswordElement().Replace(xml, m =>
    {
        Remember(System.Net.WebUtility.HtmlDecode(m.Groups["value"].Value));
        return m.Groups["open"].Value + Removed + m.Groups["close"].Value;
    });

    /// <summary><paramref name="text"/> with every secret met so far removed.</summary>
    public string Scrub(string text)
    {
        string[] secrets;
        lock (_gate)
        {
            secrets = [.. _seen.OrderByDescending(s => s.Length)];
        }

        foreach (var secret in secrets)
        {
            text = text.Replace(secret, Removed, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>Whether any remembered secret occurs in <paramref name="text"/>.</summary>
    public bool Occurs(string text)
    {
        lock (_gate)
        {
            return _seen.Any(s => text.Contains(s, StringComparison.Ordinal));
        }
    }

    private string Pair(string pair)
    {
        var eq = pair.IndexOf('=', StringComparison.Ordinal);
        if (eq < 0)
        {
            return pair;
        }

        var value = pair[(eq + 1)..];
        Remember(value);
        Remember(value.Trim('"'));
        return pair[..eq] + "=" + Removed;
    }

    private void RememberBasic(string token)
    {
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                Remember(decoded[(colon + 1)..]);
            }
        }
        catch (FormatException)
        {
            // Not Basic: the token itself is remembered.
        }
    }

    private void Remember(string secret)
    {
        // Very short values would rewrite unrelated text; a password of 1–3 characters is still
        // removed where it stands (header, password element), only not searched for elsewhere.
        if (secret.Length < 4 || secret == Removed)
        {
            return;
        }

        lock (_gate)
        {
            _seen.Add(secret);
            _seen.Add(System.Security.SecurityElement.Escape(secret));
        }
    }

    [GeneratedRegex(@"(?<open><(?:[\w.-]+:)?password(?:\s[^>]*)?>)(?<value>[^<]*)(?<close></(?:[\w.-]+:)?password\s*>)", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordElement();
}
