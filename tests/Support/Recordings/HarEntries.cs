using System.Globalization;

using EsxiImport.FieldReport.Har;

namespace EsxiImport.TestSupport.Recordings;

/// <summary>Recorded exchanges written by hand, for tests of what reads recordings.</summary>
public static class HarEntries
{
    public const string Host = "https://esx.example:443";

    private static int _index;

    /// <summary>A SOAP call (the method element inside an envelope) and its answer.</summary>
    public static HarEntry Soap(string call, int status, string answer) => Entry(
        "POST",
        Host + "/sdk",
        status,
        [new HarHeader("Content-Type", "text/xml; charset=utf-8")],
        new HarContent(answer.Length, "text/xml") { Text = answer }) with
    {
        Request = new HarRequest("POST", Host + "/sdk", "HTTP/1.1", [], [])
        {
            PostData = new HarPostData("text/xml; charset=utf-8", Envelope(call)),
        },
    };

    /// <summary>A /folder exchange; <paramref name="range"/> is the Content-Range answered, if any.</summary>
    public static HarEntry Folder(string method, string path, int status, string? contentType = "application/octet-stream", long? length = null, string? range = null, string? text = null, string? error = null, string datastore = "datastore1")
    {
        var headers = new List<HarHeader>();
        if (contentType is not null)
        {
            headers.Add(new HarHeader("Content-Type", contentType));
        }

        if (length is { } n)
        {
            headers.Add(new HarHeader("Content-Length", n.ToString(CultureInfo.InvariantCulture)));
        }

        if (range is not null)
        {
            headers.Add(new HarHeader("Content-Range", range));
        }

        var url = Host + "/folder/" + string.Join('/', path.Split('/').Select(Uri.EscapeDataString)) + "?dcPath=ha-datacenter&dsName=" + Uri.EscapeDataString(datastore);
        var content = new HarContent(text?.Length ?? length ?? 0, contentType ?? "") { Text = text, Omitted = text is null && method == "GET" ? "disk-content" : null };
        return Entry(method, url, status, headers, content) with { Error = error };
    }

    /// <summary>A recording of <paramref name="entries"/>, numbered in the order given.</summary>
    public static HarFile File(params HarEntry[] entries) =>
        new(new HarLog(HarFormat.Version, new HarCreator("test", "1"), [.. entries.Select((e, i) => e with { Index = i + 1 })]));

    public static string Envelope(string call) =>
        """<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>""" + call + "</soapenv:Body></soapenv:Envelope>";

    private static HarEntry Entry(string method, string url, int status, IReadOnlyList<HarHeader> headers, HarContent content) =>
        new(
            "2026-01-01T00:00:00.000Z",
            1,
            new HarRequest(method, url, "HTTP/1.1", [], []),
            new HarResponse(status, "", "HTTP/1.1", headers, content),
            new HarTimings(0, 1, 0))
        {
            Index = Interlocked.Increment(ref _index),
        };
}
