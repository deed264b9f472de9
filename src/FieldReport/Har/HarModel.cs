using System.Text.Json.Serialization;

namespace EsxiImport.FieldReport.Har;

/// <summary>
/// A recording: an HTTP Archive (HAR 1.2) document. Fields of our own start with <c>_</c>, as
/// the HAR specification asks, so any HAR viewer opens a recording and ignores them.
/// </summary>
public sealed record HarFile(HarLog Log);

/// <summary>The <c>log</c> object: who recorded, and every exchange in the order it was sent.</summary>
public sealed record HarLog(string Version, HarCreator Creator, IReadOnlyList<HarEntry> Entries)
{
    /// <summary>Whether host, datacenter, datastore and VM names were replaced by placeholders.</summary>
    [JsonPropertyName("_redacted")]
    public bool Redacted { get; init; }

    /// <summary>The format revision of our custom fields (readers refuse a newer one).</summary>
    [JsonPropertyName("_format")]
    public int Format { get; init; } = HarFormat.Current;
}

/// <summary>The program that wrote the recording.</summary>
public sealed record HarCreator(string Name, string Version);

/// <summary>One request and what came back.</summary>
public sealed record HarEntry(string StartedDateTime, double Time, HarRequest Request, HarResponse Response, HarTimings Timings)
{
    /// <summary>1-based position of the request among all requests of the run (sent order, not completion order).</summary>
    [JsonPropertyName("_index")]
    public int Index { get; init; }

    /// <summary>The transport failure instead of a response (<c>reset</c>, <c>timeout</c>, …); the response is then status 0.</summary>
    [JsonPropertyName("_error")]
    public string? Error { get; init; }

    /// <summary>Requests of the tool in flight (this one included) when it was sent.</summary>
    [JsonPropertyName("_inFlight")]
    public int InFlight { get; init; }
}

public sealed record HarRequest(string Method, string Url, string HttpVersion, IReadOnlyList<HarHeader> Headers, IReadOnlyList<HarQueryParameter> QueryString)
{
    public HarPostData? PostData { get; init; }

    public int HeadersSize { get; init; } = -1;

    public long BodySize { get; init; } = -1;
}

public sealed record HarResponse(int Status, string StatusText, string HttpVersion, IReadOnlyList<HarHeader> Headers, HarContent Content)
{
    public string RedirectURL { get; init; } = "";

    /// <summary>The first value of header <paramref name="name"/> (names compare without case), or null.</summary>
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value;

    public int HeadersSize { get; init; } = -1;

    public long BodySize { get; init; } = -1;
}

public sealed record HarHeader(string Name, string Value);

public sealed record HarQueryParameter(string Name, string Value);

public sealed record HarPostData(string MimeType, string Text);

/// <summary>
/// A response body. <see cref="Text"/> is present only for bodies the recorder keeps (SOAP,
/// small text files, error pages); <c>encoding: base64</c> marks bytes that are not UTF-8 (a
/// <c>.vmx</c> in a legacy code page). Disk contents are never kept: <see cref="Size"/> alone.
/// </summary>
public sealed record HarContent(long Size, string MimeType)
{
    public string? Text { get; init; }

    public string? Encoding { get; init; }

    /// <summary>Why the body is absent although the response had one (<c>disk-content</c>, <c>too-large</c>, <c>binary</c>).</summary>
    [JsonPropertyName("_omitted")]
    public string? Omitted { get; init; }
}

/// <summary>Milliseconds: sending the request, waiting for the status line, reading the body (-1 when not measured).</summary>
public sealed record HarTimings(double Send, double Wait, double Receive);

/// <summary>Constants of the format.</summary>
public static class HarFormat
{
    /// <summary>The revision of the <c>_</c> fields written by this code.</summary>
    public const int Current = 1;

    public const string Version = "1.2";

    public const string Base64 = "base64";
}
