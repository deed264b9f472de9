namespace EsxiImport.Fuse.Protocol.Requests;

/// <summary>LOOKUP: the entry <see cref="Name"/> in directory <see cref="FuseRequest.NodeId"/>.</summary>
/// <param name="NameBytes">The raw name without its NUL; names are bytes on Linux.</param>
public sealed record LookupRequest(RequestHeader Header, byte[] NameBytes) : FuseRequest(Header)
{
    /// <summary>The name decoded as UTF-8 (invalid sequences become U+FFFD).</summary>
    public string Name => System.Text.Encoding.UTF8.GetString(NameBytes);

    public override string Describe() => " name=" + TraceText.Quote(Name);
}

/// <summary>GETATTR; <see cref="FileHandle"/> is set when the kernel asked through an open file.</summary>
public sealed record GetattrRequest(RequestHeader Header, ulong? FileHandle) : FuseRequest(Header)
{
    public override string Describe() => FileHandle is { } fh ? TraceText.Of($" fh={fh}") : string.Empty;
}

/// <summary>STATFS (no body).</summary>
public sealed record StatfsRequest(RequestHeader Header) : FuseRequest(Header);
