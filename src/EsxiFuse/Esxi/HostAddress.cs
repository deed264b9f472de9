using System.Globalization;
using System.Net;
using System.Net.Sockets;

using EsxiImport.Diagnostics;

namespace EsxiImport.EsxiFuse.Esxi;

/// <summary>
/// The host argument of the command line: <c>&lt;host&gt;[:&lt;port&gt;]</c>, <c>[v6addr]:port</c> or a
/// bare IPv6 address (FB-05). The plugin wraps IPv6 literals in brackets only when a port follows,
/// so both forms must work, and URLs are built from <see cref="Authority"/> so a literal is never
/// bracketed twice.
/// </summary>
public sealed record HostAddress
{
    private HostAddress(string host, int? port, bool isIPv6)
    {
        Host = host;
        Port = port;
        IsIPv6 = isIPv6;
    }

    /// <summary>The host name or address, without brackets.</summary>
    public string Host { get; }

    /// <summary>The port, when one was given; the scheme's default otherwise.</summary>
    public int? Port { get; }

    /// <summary>Whether <see cref="Host"/> is an IPv6 literal (and needs brackets in a URL).</summary>
    public bool IsIPv6 { get; }

    /// <summary>The host as it appears in a URL: brackets around IPv6 literals, <c>:port</c> when set.</summary>
    public string Authority =>
        (IsIPv6 ? "[" + Host + "]" : Host) + (Port is int port ? ":" + port.ToString(CultureInfo.InvariantCulture) : string.Empty);

    /// <summary>Parses the command line's host argument; a malformed one is an InvalidInput error.</summary>
    public static HostAddress Parse(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            throw ToolError.Of("esxi.host.empty", ErrorKind.InvalidInput);
        }

        if (text[0] == '[')
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || !IsIPv6Literal(text[1..close]))
            {
                throw Invalid(text);
            }

            var rest = text[(close + 1)..];
            if (rest.Length == 0)
            {
                return new HostAddress(text[1..close], null, true);
            }

            return rest[0] == ':' ? new HostAddress(text[1..close], ParsePort(rest[1..], text), true) : throw Invalid(text);
        }

        var colons = text.Count(c => c == ':');
        if (colons >= 2)
        {
            // Without brackets a second colon can only belong to an IPv6 address; a port cannot
            // be told apart from the last group, so none is taken (the plugin brackets when it adds one).
            return IsIPv6Literal(text) ? new HostAddress(text, null, true) : throw Invalid(text);
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var host = colon < 0 ? text : text[..colon];
        int? portValue = colon < 0 ? null : ParsePort(text[(colon + 1)..], text);
        var kind = Uri.CheckHostName(host);
        if (kind is not (UriHostNameType.Dns or UriHostNameType.IPv4))
        {
            throw Invalid(text);
        }

        return new HostAddress(host, portValue, false);
    }

    /// <summary>The origin of every request: <c>https://authority/</c> (or <c>http://</c> for tests and benches).</summary>
    public Uri BaseUri(bool https) => new((https ? "https://" : "http://") + Authority + "/");

    /// <inheritdoc/>
    public override string ToString() => Authority;

    private static bool IsIPv6Literal(string text) =>
        text.Length > 0
        && IPAddress.TryParse(text, out var address)
        && address.AddressFamily == AddressFamily.InterNetworkV6;

    private static int ParsePort(string text, string whole)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535)
        {
            return port;
        }

        throw ToolError.Of("esxi.host.invalid-port", ErrorKind.InvalidInput, ("address", whole));
    }

    private static ToolError Invalid(string text) => ToolError.Of("esxi.host.invalid", ErrorKind.InvalidInput, ("address", text));
}
