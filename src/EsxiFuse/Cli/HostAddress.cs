using System.Globalization;

using EsxiImport.Diagnostics;

namespace EsxiImport.EsxiFuse.Cli;

/// <summary>
/// The <c>&lt;host&gt;[:&lt;port&gt;]</c> argument: a name, an IPv4 address, or an IPv6 literal in
/// brackets (<c>[::1]:8443</c>, FB-05). <see cref="Authority"/> is what goes into the URL, so
/// brackets are never doubled or lost on the way.
/// </summary>
public sealed record HostAddress(string Host, int? Port)
{
    /// <summary>True when <see cref="Host"/> is an IPv6 literal (kept without brackets).</summary>
    public bool IsIPv6 => Host.Contains(':', StringComparison.Ordinal);

    /// <summary><c>host</c>, <c>host:port</c>, <c>[v6]</c> or <c>[v6]:port</c>, as a URL authority.</summary>
    public string Authority
    {
        get
        {
            var host = IsIPv6 ? "[" + Host + "]" : Host;
            return Port is { } port ? host + ":" + port.ToString(CultureInfo.InvariantCulture) : host;
        }
    }

    public override string ToString() => Authority;

    /// <summary>
    /// Parses the argument. An address with several colons and no brackets is taken as a bare
    /// IPv6 literal without a port, since no other reading of it makes sense.
    /// </summary>
    public static HostAddress Parse(string text)
    {
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 2)
            {
                throw Invalid(text);
            }

            var host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length == 0)
            {
                return new HostAddress(host, null);
            }

            return rest[0] == ':' ? new HostAddress(host, ParsePort(rest[1..], text)) : throw Invalid(text);
        }

        var colons = text.Count(c => c == ':');
        if (text.Length == 0 || text.Contains(']', StringComparison.Ordinal))
        {
            throw Invalid(text);
        }

        if (colons == 0)
        {
            return new HostAddress(text, null);
        }

        if (colons > 1)
        {
            return new HostAddress(text, null);
        }

        var at = text.IndexOf(':', StringComparison.Ordinal);
        return at == 0 ? throw Invalid(text) : new HostAddress(text[..at], ParsePort(text[(at + 1)..], text));
    }

    private static int ParsePort(string port, string text) =>
        int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and <= 65535
            ? p
            : throw Invalid(text);

    private static ToolError Invalid(string text) =>
        ToolError.Of("esxi-folder-fuse.args.bad-host", ErrorKind.InvalidInput, ("host", text));
}