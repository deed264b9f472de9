using System.Net;
using System.Net.Http.Headers;

namespace EsxiImport.PropertyTests.Caching;

/// <summary>What a host may answer to one range request: right, or wrong in one of the ways hosts are.</summary>
public enum HostAnswer
{
    Good,
    Status500,
    Status502,
    Status503,
    Status429,
    Status403,
    NotFound,
    Redirect,
    Reset,
    CutBody,
    ShortBody,
    LongBody,
    RangeRefused,
    SmallerTotal,
    LargerTotal,
    WrongStart,
    ShortRange,
    Html,
    WholeFile,
    ShortWholeFile,
}

/// <summary>
/// The host's /folder API as an HTTP transport in memory: a range request gets the next answer of
/// the script, or once the script is spent (or <see cref="Heal"/> is called) the right answer.
/// </summary>
public sealed class ScriptedHostAnswers(byte[] content) : HttpMessageHandler
{
    private readonly Queue<HostAnswer> _script = new();
    private int _requests;

    public int Requests => Volatile.Read(ref _requests);

    public void Script(IEnumerable<HostAnswer> answers)
    {
        lock (_script)
        {
            foreach (var answer in answers)
            {
                _script.Enqueue(answer);
            }
        }
    }

    /// <summary>From now on every answer is right.</summary>
    public void Heal()
    {
        lock (_script)
        {
            _script.Clear();
        }
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        HostAnswer answer;
        lock (_script)
        {
            answer = _script.TryDequeue(out var next) ? next : HostAnswer.Good;
        }

        var range = request.Headers.Range!.Ranges.Single();
        var size = content.Length;
        var from = (int)range.From!.Value;
        var to = (int)Math.Min(range.To!.Value, size - 1);
        return answer switch
        {
            HostAnswer.Reset => throw new HttpRequestException("Connection reset by peer", new IOException("Connection reset by peer")),
            HostAnswer.Status500 => Task.FromResult(Status(HttpStatusCode.InternalServerError)),
            HostAnswer.Status502 => Task.FromResult(Status(HttpStatusCode.BadGateway)),
            HostAnswer.Status503 => Task.FromResult(Status(HttpStatusCode.ServiceUnavailable)),
            HostAnswer.Status429 => Task.FromResult(Status(HttpStatusCode.TooManyRequests)),
            HostAnswer.Status403 => Task.FromResult(Status(HttpStatusCode.Forbidden)),
            HostAnswer.NotFound => Task.FromResult(Status(HttpStatusCode.NotFound)),
            HostAnswer.Redirect => Task.FromResult(Redirect()),
            HostAnswer.RangeRefused => Task.FromResult(Refused(from)),
            HostAnswer.CutBody => Task.FromResult(Partial(from, to, size, new CutStream(content[from..(to + 1)]))),
            HostAnswer.ShortBody => Task.FromResult(Partial(from, to, size, new MemoryStream(content[from..(from + ((to - from + 1) / 2))]), announced: to - from + 1)),
            HostAnswer.LongBody => Task.FromResult(Partial(from, to, size, new MemoryStream([.. content[from..(to + 1)], 0x55]))),
            HostAnswer.SmallerTotal => Task.FromResult(Partial(from, Math.Min(to, from + ((to - from) / 2)), from + ((to - from) / 2) + 1)),
            HostAnswer.LargerTotal => Task.FromResult(Partial(from, to, size + 4096)),
            HostAnswer.WrongStart when from + 1 <= to => Task.FromResult(Partial(from + 1, to, size)),
            HostAnswer.ShortRange when from < to => Task.FromResult(Partial(from, to - 1, size)),
            HostAnswer.Html => Task.FromResult(Partial(from, to, size, type: "text/html")),
            HostAnswer.WholeFile => Task.FromResult(Whole(content)),
            HostAnswer.ShortWholeFile => Task.FromResult(Whole(content[..(size / 2)])),
            _ => Task.FromResult(Partial(from, to, size)),
        };
    }

    private static HttpResponseMessage Status(HttpStatusCode code) =>
        new(code) { Content = new StringContent("error") };

    private static HttpResponseMessage Redirect()
    {
        var response = new HttpResponseMessage(HttpStatusCode.MovedPermanently) { Content = new StringContent("moved") };
        response.Headers.Location = new Uri("/folder/elsewhere", UriKind.Relative);
        return response;
    }

    private static HttpResponseMessage Refused(int claimedSize)
    {
        var response = new HttpResponseMessage(HttpStatusCode.RequestedRangeNotSatisfiable) { Content = new ByteArrayContent([]) };
        response.Content.Headers.ContentRange = new ContentRangeHeaderValue(claimedSize);
        return response;
    }

    private HttpResponseMessage Partial(int from, int to, int total, Stream? body = null, int? announced = null, string type = "application/octet-stream")
    {
        var content1 = body is null ? new ByteArrayContent(content[from..(to + 1)]) : (HttpContent)new StreamContent(body);
        content1.Headers.ContentType = new MediaTypeHeaderValue(type);
        content1.Headers.ContentRange = new ContentRangeHeaderValue(from, to, total);
        if (announced is { } length)
        {
            content1.Headers.ContentLength = length;
        }

        return new HttpResponseMessage(HttpStatusCode.PartialContent) { Content = content1 };
    }

    private static HttpResponseMessage Whole(byte[] bytes)
    {
        var body = new ByteArrayContent(bytes);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = body };
    }

    /// <summary>A body whose connection breaks halfway.</summary>
    private sealed class CutStream(byte[] bytes) : MemoryStream(bytes[..(bytes.Length / 2)])
    {
        public override int Read(byte[] buffer, int offset, int count) =>
            base.Read(buffer, offset, count) is > 0 and var n ? n : throw new IOException("Connection reset by peer");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.Read(buffer.Span) is > 0 and var n ? ValueTask.FromResult(n) : throw new IOException("Connection reset by peer");
    }
}
