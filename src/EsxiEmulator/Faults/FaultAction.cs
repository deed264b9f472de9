namespace EsxiImport.Emulator.Faults;

/// <summary>What a fired rule does to the request.</summary>
public abstract record FaultAction
{
    /// <summary>True when the action acts on the response body while it is sent.</summary>
    public virtual bool ShapesBody => false;

    /// <summary>Answers with <paramref name="Code"/> and a short text body (the rule's body, or a default).</summary>
    public sealed record Status(int Code) : FaultAction;

    /// <summary>Waits before the endpoint runs (or, with after-bytes, in the middle of the body).</summary>
    public sealed record Delay(int Milliseconds) : FaultAction
    {
        public override bool ShapesBody => true;
    }

    /// <summary>Resets the connection before any response byte.</summary>
    public sealed record ResetBefore : FaultAction;

    /// <summary>Resets the connection after half the body (or after-bytes N).</summary>
    public sealed record ResetMidBody : FaultAction
    {
        public override bool ShapesBody => true;
    }

    /// <summary>Sends the full Content-Length header but only half the body (or N bytes), then closes.</summary>
    public sealed record Truncate : FaultAction
    {
        public override bool ShapesBody => true;
    }

    /// <summary>Replaces the response's Content-Type.</summary>
    public sealed record ContentType(string Value) : FaultAction;

    /// <summary>Removes the response's Content-Type.</summary>
    public sealed record NoContentType : FaultAction;

    /// <summary>Answers 200 with an HTML page instead of the file's bytes (a login page of a proxy).</summary>
    public sealed record Html : FaultAction;

    /// <summary>Answers with a vim25 SOAP fault of type <paramref name="Name"/>.</summary>
    public sealed record SoapFault(string Name) : FaultAction;

    /// <summary>Sends the body at <paramref name="BytesPerSecond"/>.</summary>
    public sealed record Trickle(long BytesPerSecond) : FaultAction
    {
        public override bool ShapesBody => true;
    }

    /// <summary>Serves the file as if it had <paramref name="Bytes"/> bytes (fewer than it has): a host contradicting the size it gave.</summary>
    public sealed record Size(long Bytes) : FaultAction;

    /// <summary>
    /// Sends the answer without Content-Length: chunked over HTTP/1.1, a DATA stream of unstated
    /// length over HTTP/2 (as proxies and some hosts answer), so the client learns the length only
    /// at the end of the body.
    /// </summary>
    public sealed record Chunked : FaultAction;

    /// <summary>Answers a range request with 200 and the whole file, as a host that ignores Range does.</summary>
    public sealed record IgnoreRange : FaultAction;

    /// <summary>Ends the session named by the request's cookie (every session when it has none) before the endpoint runs.</summary>
    public sealed record ExpireSession : FaultAction;
}
