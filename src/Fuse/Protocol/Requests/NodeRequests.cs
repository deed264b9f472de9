namespace EsxiImport.Fuse.Protocol.Requests;

/// <summary>LOOKUP: the entry <see cref="Name"/> in directory <see cref="FuseRequest.NodeId"/>.</summary>
/// <param name="NameBytes">The raw name without its NUL; names are bytes on Linux.</param>
public sealed record LookupRequest(RequestHeader Header, byte[] NameBytes) : FuseRequest(Header)
{
    /// <summary>The name decoded as UTF-8 (invalid sequences become U+FFFD).</summary>
    public string Name => System.Text.Encoding.UTF8.GetString(NameBytes);
}

/// <summary>GETATTR; <see cref="FileHandle"/> is set when the kernel asked through an open file.</summary>
public sealed record GetattrRequest(RequestHeader Header, ulong? FileHandle) : FuseRequest(Header);

/// <summary>STATFS (no body).</summary>
public sealed record StatfsRequest(RequestHeader Header) : FuseRequest(Header);
