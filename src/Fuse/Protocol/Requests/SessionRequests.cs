using EsxiImport.Fuse.Protocol.Wire;

namespace EsxiImport.Fuse.Protocol.Requests;

/// <summary>INIT: the kernel's version, readahead limit and capability bits (flags2 merged into the high half).</summary>
public sealed record InitRequest(RequestHeader Header, uint Major, uint Minor, uint MaxReadahead, InitFlags Flags) : FuseRequest(Header)
{
    public override string Describe() => TraceText.Of($" kernel={Major}.{Minor} max_readahead={MaxReadahead} flags=0x{(ulong)Flags:x}");
}

/// <summary>DESTROY (fuseblk and virtiofs only; a plain fuse mount never sends it).</summary>
public sealed record DestroyRequest(RequestHeader Header) : FuseRequest(Header);

/// <summary>FORGET or BATCH_FORGET: drop lookup counts; never answered.</summary>
public sealed record ForgetRequest(RequestHeader Header, IReadOnlyList<ForgetOne> Items) : FuseRequest(Header)
{
    public override string Describe() => " " + string.Join(",", Items.Select(i => TraceText.Of($"{i.NodeId}-{i.Nlookup}")));
}

/// <summary>INTERRUPT of request <see cref="TargetUnique"/>; its own unique has bit 0 set.</summary>
public sealed record InterruptRequest(RequestHeader Header, ulong TargetUnique) : FuseRequest(Header)
{
    public override string Describe() => TraceText.Of($" target={TargetUnique}");
}
