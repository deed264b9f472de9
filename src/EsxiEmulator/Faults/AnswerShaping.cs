namespace EsxiImport.Emulator.Faults;

/// <summary>
/// How a fault bends the /folder answer of one request without replacing it: the file is served
/// as if it had <see cref="Size"/> bytes (a host contradicting the size it gave before: a smaller
/// Content-Length or Content-Range total, 416 from there on), and/or the Range header is ignored
/// (200 with the whole file). Set as a request feature by the fault middleware, read by the
/// file endpoint.
/// </summary>
public sealed class AnswerShaping
{
    /// <summary>The size the answer claims (never more than the real one), or null for the real size.</summary>
    public long? Size { get; set; }

    /// <summary>Whether the answer ignores the request's Range and sends the whole file with 200.</summary>
    public bool IgnoreRange { get; set; }
}
