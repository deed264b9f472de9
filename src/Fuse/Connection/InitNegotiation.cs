using EsxiImport.Fuse.Protocol;
using EsxiImport.Fuse.Protocol.Requests;
using EsxiImport.Fuse.Protocol.Wire;

namespace EsxiImport.Fuse.Connection;

/// <summary>The INIT answer for a kernel's offer: a pure function, so it is tested without a kernel.</summary>
public static class InitNegotiation
{
    /// <summary>
    /// The reply to <paramref name="request"/> and, when the server may start, what was agreed.
    /// A kernel with a newer major gets {major=7} alone and will send INIT again; one older than
    /// 7.12 is refused with EPROTO.
    /// </summary>
    public static (FuseReply Reply, FuseConnectionInfo? Info) Answer(InitRequest request, FuseServerOptions options)
    {
        if (request.Major > ProtocolVersion.Major)
        {
            return (new InitReply(new InitOut { Major = ProtocolVersion.Major }, 0), null);
        }

        if (request.Major < ProtocolVersion.Major || request.Minor < ProtocolVersion.MinMinor)
        {
            return (FuseReply.Error(Errno.EPROTO), null);
        }

        var minor = Math.Min(request.Minor, ProtocolVersion.MaxMinor);
        var flags = request.Flags & options.WantedFlags;
        if ((ulong)flags >> 32 != 0)
        {
            flags |= InitFlags.InitExt;
        }

        var congestion = options.CongestionThreshold != 0 ? options.CongestionThreshold : (ushort)(options.MaxBackground * 3 / 4);
        var pages = flags.HasFlag(InitFlags.MaxPages) ? options.MaxPages : (ushort)0;
        var readahead = options.MaxReadahead ?? request.MaxReadahead;
        var init = new InitOut
        {
            Major = ProtocolVersion.Major,
            Minor = minor,
            MaxReadahead = readahead,
            Flags = (uint)flags,
            MaxBackground = options.MaxBackground,
            CongestionThreshold = congestion,
            MaxWrite = options.MaxWrite,
            TimeGran = 1,
            MaxPages = pages,
            Flags2 = (uint)((ulong)flags >> 32),
        };
        var info = new FuseConnectionInfo(
            request.Major, request.Minor, request.Flags, request.MaxReadahead,
            minor, flags, readahead, pages, options.MaxBackground, congestion, options.MaxWrite);
        return (new InitReply(init, minor), info);
    }
}
