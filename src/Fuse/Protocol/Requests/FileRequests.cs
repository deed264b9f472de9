namespace EsxiImport.Fuse.Protocol.Requests;

/// <summary>OPEN or OPENDIR (<see cref="IsDirectory"/>), with the open(2) flags of the caller.</summary>
public sealed record OpenRequest(RequestHeader Header, bool IsDirectory, uint Flags) : FuseRequest(Header)
{
    /// <summary>O_ACCMODE of the flags is not O_RDONLY.</summary>
    public bool WantsWrite => (Flags & 3) != 0;

    public override string Describe() => TraceText.Of($" flags=0x{Flags:x}");
}

/// <summary>READ of <see cref="Size"/> bytes at <see cref="Offset"/> of open file <see cref="FileHandle"/>.</summary>
public sealed record ReadRequest(RequestHeader Header, ulong FileHandle, ulong Offset, uint Size) : FuseRequest(Header)
{
    public override string Describe() => TraceText.Of($" fh={FileHandle} offset={Offset} size={Size}");
}

/// <summary>READDIR or READDIRPLUS (<see cref="Plus"/>): entries from cookie <see cref="Offset"/>, at most <see cref="Size"/> bytes.</summary>
public sealed record ReaddirRequest(RequestHeader Header, bool Plus, ulong FileHandle, ulong Offset, uint Size) : FuseRequest(Header)
{
    public override string Describe() => TraceText.Of($" fh={FileHandle} cookie={Offset} size={Size}");
}

/// <summary>RELEASE or RELEASEDIR (<see cref="IsDirectory"/>): the last close of a handle.</summary>
public sealed record ReleaseRequest(RequestHeader Header, bool IsDirectory, ulong FileHandle, uint Flags) : FuseRequest(Header)
{
    public override string Describe() => TraceText.Of($" fh={FileHandle} flags=0x{Flags:x}");
}
