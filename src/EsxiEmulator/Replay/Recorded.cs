using System.Xml.Linq;

using EsxiImport.Diagnostics;
using EsxiImport.FieldReport.Har;
using EsxiImport.Vim25;

namespace EsxiImport.Emulator.Replay;

/// <summary>
/// A recording read for replay: the SOAP exchanges in the order they were sent, each with the
/// call it answers (<see cref="SoapCallKey"/>), the version document, and the <c>/folder</c>
/// exchanges grouped by request (<see cref="FolderKey"/>) in the order they were sent.
/// </summary>
internal sealed class Recorded
{
    private Recorded(IReadOnlyList<(HarFile File, string Source)> files)
    {
        foreach (var (file, source) in files)
        {
            var replayable = 0;
            foreach (var entry in file.Log.Entries.OrderBy(e => e.Index))
            {
                replayable += Add(entry) ? 1 : 0;
            }

            if (replayable == 0)
            {
                throw ToolError.Of("emulator.replay.nothing-to-replay", ErrorKind.InvalidInput, ("file", source));
            }
        }
    }

    /// <summary>The user the recorded client logged in as.</summary>
    public string? User { get; private set; }

    /// <summary>The recorded answer to <c>GET /sdk/vimServiceVersions.xml</c>.</summary>
    public HarEntry? Versions { get; private set; }

    public List<SoapExchange> Soap { get; } = [];

    public Dictionary<FolderKey, List<HarEntry>> Folder { get; } = [];

    /// <summary>The keys of <see cref="Folder"/> in the order they were first requested.</summary>
    public List<FolderKey> FolderOrder { get; } = [];

    /// <summary>
    /// Reads recordings made apart (a listing and a mount) as one, in the order given; a file that
    /// is not a recording, or holds nothing to replay, is a <see cref="ToolError"/> naming it.
    /// </summary>
    public static Recorded Load(IReadOnlyList<string> paths) => new([.. paths.Select(p => (HarDocument.Load(p), p))]);

    public static Recorded From(HarFile file, string source) => new([(file, source)]);

    /// <summary>Files an exchange under the call or request it answers; false for any other URL.</summary>
    private bool Add(HarEntry entry)
    {
        if (!Uri.TryCreate(entry.Request.Url, UriKind.Absolute, out var url))
        {
            return false;
        }

        var path = url.AbsolutePath;
        if (path == "/sdk/vimServiceVersions.xml")
        {
            Versions ??= entry;
            return true;
        }

        if (path is "/sdk" or "/sdk/" && SoapCallKey.Of(entry.Request.PostData?.Text ?? "") is { } call)
        {
            Soap.Add(new SoapExchange(call, entry));
            if (call.Method == "Login" && call.Field("userName") is { } user)
            {
                User ??= user;
            }

            return true;
        }

        if (FolderKey.Of(entry.Request.Method, url) is not { } key)
        {
            return false;
        }

        if (!Folder.TryGetValue(key, out var list))
        {
            Folder[key] = list = [];
            FolderOrder.Add(key);
        }

        list.Add(entry);
        return true;
    }
}

/// <summary>One recorded SOAP call and what came back.</summary>
internal sealed record SoapExchange(SoapCallKey Call, HarEntry Entry);

/// <summary>
/// What a SOAP request asks for, independent of how the client wrote it: the method and, in
/// document order, every leaf of the call (the managed object it is sent to, object references,
/// property paths, tokens, names) with its type attribute. Prefixes, whitespace and the password
/// take no part, so a replayed call matches its recording whatever the session or the client's
/// XML style.
/// </summary>
internal sealed record SoapCallKey(string Method, string Leaves)
{
    /// <summary>The key of a request envelope; null when it is not a SOAP call.</summary>
    public static SoapCallKey? Of(string envelope)
    {
        XElement? content;
        try
        {
            content = SoapEnvelope.BodyContent(XDocument.Parse(envelope));
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }

        if (content is null)
        {
            return null;
        }

        var leaves = content.Descendants()
            .Where(e => !e.HasElements && !e.Name.LocalName.Equals("password", StringComparison.OrdinalIgnoreCase))
            .Select(e => e.Name.LocalName + (e.Attributes().FirstOrDefault(a => a.Name.LocalName == "type") is { } t ? "[" + t.Value + "]" : "") + "=" + e.Value);
        return new SoapCallKey(content.Name.LocalName, string.Join('\n', leaves)) { Content = content };
    }

    /// <summary>The request's body content (first child of the SOAP Body).</summary>
    public XElement? Content { get; private init; }

    /// <summary>The text of a direct child of the call (<c>userName</c>, <c>password</c>), or null.</summary>
    public string? Field(string name) => Content?.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    public bool Equals(SoapCallKey? other) => other is not null && Method == other.Method && Leaves == other.Leaves;

    public override int GetHashCode() => HashCode.Combine(Method, Leaves);
}

/// <summary>What identifies a /folder request across runs: method, datacenter, datastore and the decoded path under the datastore.</summary>
internal readonly record struct FolderKey(string Method, string Datacenter, string Datastore, string Path)
{
    /// <summary>The key of a /folder URL; null for any other URL.</summary>
    public static FolderKey? Of(string method, Uri url)
    {
        var path = url.AbsolutePath;
        if (path != "/folder" && !path.StartsWith("/folder/", StringComparison.Ordinal))
        {
            return null;
        }

        string dc = "", ds = "";
        foreach (var part in url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? "" : Uri.UnescapeDataString(part[(eq + 1)..].Replace('+', ' '));
            if (name is "dcPath" or "dcName")
            {
                dc = value;
            }
            else if (name == "dsName")
            {
                ds = value;
            }
        }

        var relative = Uri.UnescapeDataString(path["/folder".Length..]).Trim('/');
        return new FolderKey(method.ToUpperInvariant(), dc, ds, relative);
    }
}
