using System.Text;
using System.Xml;
using System.Xml.Linq;

using EsxiImport.Diagnostics;
using EsxiImport.FieldReport.Har;
using EsxiImport.FieldReport.Redaction;

namespace EsxiImport.FieldReport.Recording;

/// <summary>
/// What one run of a tool exchanged with a host, collected by <see cref="HttpRecorder"/>s (any
/// number, from several clients) and written once as a HAR file. Credentials are removed as
/// exchanges are recorded; with <see cref="Redact"/>, host, datacenter, datastore and VM names
/// are replaced when the file is built, so names learnt from a late answer are replaced in
/// earlier entries too.
/// </summary>
public sealed class FieldRecording
{
    private readonly Lock _gate = new();
    private readonly List<HarEntry> _entries = [];
    private int _index;

    public FieldRecording(string creator, bool redact, Redactor? redactor = null)
    {
        Creator = creator ?? throw new ArgumentNullException(nameof(creator));
        Redact = redact;
        Redactor = redactor ?? new Redactor();
    }

    /// <summary>The program that records (HAR <c>creator.name</c>).</summary>
    public string Creator { get; }

    /// <summary>Whether names are replaced in the file.</summary>
    public bool Redact { get; }

    /// <summary>The names to replace; a caller that knows more names (a manifest's) adds them here.</summary>
    public Redactor Redactor { get; }

    internal Secrets Secrets { get; } = new();

    /// <summary>Exchanges recorded so far.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>A text with the recording's secrets removed and, when redacting, its names replaced (for reports printed next to the file).</summary>
    public string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = Secrets.Scrub(text);
        return Redact ? Redactor.Apply(text) : text;
    }

    internal int NextIndex() => Interlocked.Increment(ref _index);

    internal void Add(HarEntry entry)
    {
        lock (_gate)
        {
            _entries.Add(entry);
        }
    }

    /// <summary>The recording as a HAR document, entries in the order they were sent.</summary>
    public HarFile Build()
    {
        List<HarEntry> entries;
        lock (_gate)
        {
            entries = [.. _entries.OrderBy(e => e.Index)];
        }

        return new HarFile(new HarLog(HarFormat.Version, new HarCreator(Creator, ProgramVersion.Text), [.. entries.Select(CleanEntry)])
        {
            Redacted = Redact,
        });
    }

    /// <summary>Builds and writes the file (see <see cref="HarDocument.Save"/>).</summary>
    public void Save(string path) => HarDocument.Save(Build(), path);

    private HarEntry CleanEntry(HarEntry entry)
    {
        var request = entry.Request with
        {
            Url = CleanUrl(entry.Request.Url),
            Headers = [.. entry.Request.Headers.Select(CleanHeader)],
            QueryString = [.. entry.Request.QueryString.Select(q => q with { Value = Clean(q.Value) })],
            PostData = entry.Request.PostData is { } post ? post with { Text = CleanXml(post.Text) } : null,
        };
        var content = entry.Response.Content;
        if (content.Text is { } text)
        {
            content = content.Encoding == HarFormat.Base64
                ? content with { Text = Convert.ToBase64String(CleanBytes(Convert.FromBase64String(text))) }
                : content with { Text = CleanXml(text) };
            content = content with { Size = HarDocument.BodyBytes(content)!.Length };
        }

        var response = entry.Response with
        {
            Headers = [.. entry.Response.Headers.Select(CleanHeader)],
            Content = content,
            BodySize = entry.Response.BodySize < 0 ? -1 : content.Size,
        };
        return entry with { Request = request, Response = response, Error = entry.Error is { } e ? Clean(e) : null };
    }

    private HarHeader CleanHeader(HarHeader header)
    {
        // Only headers that carry names; Content-Range and the like stay exact.
        var value = Secrets.Scrub(header.Value);
        return header with { Value = Redact && header.Name is "Host" or "Location" or "host" or "location" ? Redactor.Apply(value) : value };
    }

    /// <summary>The URL with names replaced in its path below the endpoint and in its query, never in the scheme or the endpoint.</summary>
    private string CleanUrl(string url)
    {
        if (!Redact || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return Secrets.Scrub(url);
        }

        var path = uri.AbsolutePath;
        var second = path.IndexOf('/', 1);
        var redactedPath = second < 0 ? path : path[..second] + Redactor.Apply(path[second..]);
        var query = string.Join('&', uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p =>
        {
            var eq = p.IndexOf('=', StringComparison.Ordinal);
            return eq < 0 ? p : p[..(eq + 1)] + Redactor.Apply(p[(eq + 1)..]);
        }));
        var port = uri.IsDefaultPort ? "" : ":" + uri.Port;
        return Secrets.Scrub(uri.Scheme + "://" + Redactor.Placeholder(NameKind.Host, uri.IdnHost) + port + redactedPath + (query.Length > 0 ? "?" + query : ""));
    }

    /// <summary>XML has its names replaced in text and attribute values only, so a VM named like an element leaves the markup intact.</summary>
    private string CleanXml(string text)
    {
        text = Secrets.Scrub(text);
        if (!Redact)
        {
            return text;
        }

        XDocument doc;
        try
        {
            doc = XDocument.Parse(text, LoadOptions.PreserveWhitespace);
        }
        catch (XmlException)
        {
            return Redactor.Apply(text);
        }

        foreach (var node in doc.DescendantNodes().OfType<XText>().Where(t => !IsVocabulary(t.Parent)))
        {
            node.Value = Redactor.Apply(node.Value);
        }

        foreach (var attribute in doc.Descendants().Attributes().Where(a => !a.IsNamespaceDeclaration && a.Name.LocalName != "type"))
        {
            attribute.Value = Redactor.Apply(attribute.Value);
        }

        return (doc.Declaration is { } declaration ? declaration + "\n" : "") + doc.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>
    /// Elements whose text is vim25 vocabulary, never a name: property paths and type names. A VM
    /// called <c>name</c> must not turn the property <c>name</c> into a placeholder.
    /// </summary>
    private static bool IsVocabulary(XElement? element) => element is not null
        && (element.Name.LocalName is "pathSet" or "type" or "path" or "propertyPath"
            || (element.Name.LocalName == "name" && element.Parent?.Name.LocalName is "propSet" or "missingSet" or "selectSet" or "TraversalSpec" or "SelectionSpec"));

    private byte[] CleanBytes(byte[] bytes)
    {
        var text = Secrets.Scrub(Encoding.Latin1.GetString(bytes));
        return Redact ? Redactor.Apply(Encoding.Latin1.GetBytes(text)) : Encoding.Latin1.GetBytes(text);
    }
}
