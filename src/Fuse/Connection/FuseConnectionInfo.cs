using System.Globalization;

using EsxiImport.Fuse.Protocol;
using EsxiImport.Fuse.Protocol.Wire;

namespace EsxiImport.Fuse.Connection;

/// <summary>What INIT settled: the kernel's offer and the answer this server gave.</summary>
public sealed record FuseConnectionInfo(
    uint KernelMajor,
    uint KernelMinor,
    InitFlags KernelFlags,
    uint KernelMaxReadahead,
    uint Minor,
    InitFlags Flags,
    uint MaxReadahead,
    ushort MaxPages,
    ushort MaxBackground,
    ushort CongestionThreshold,
    uint MaxWrite)
{
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"kernel {KernelMajor}.{KernelMinor} (flags 0x{(ulong)KernelFlags:x}), negotiated 7.{Minor} flags 0x{(ulong)Flags:x} [{Flags}], max_readahead {MaxReadahead}, max_pages {MaxPages}, max_background {MaxBackground}, congestion_threshold {CongestionThreshold}, max_write {MaxWrite}");
}
