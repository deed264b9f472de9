using EsxiImport.Fuse.Protocol.Requests;

namespace EsxiImport.Fuse.Protocol;

/// <summary>
/// The answers a file system gives, one method per opcode it answers; each row of
/// <see cref="OpcodeTable"/> for such an opcode names its method (<see cref="OpcodeInfo.Handle"/>).
/// A new opcode is a row and a method here.
/// </summary>
public interface IOpcodeHandlers
{
    ValueTask<FuseReply> LookupAsync(LookupRequest request, CancellationToken cancellationToken);

    ValueTask<FuseReply> GetattrAsync(GetattrRequest request, CancellationToken cancellationToken);

    ValueTask<FuseReply> OpenAsync(OpenRequest request, CancellationToken cancellationToken);

    ValueTask<FuseReply> OpendirAsync(OpenRequest request, CancellationToken cancellationToken);

    ValueTask<FuseReply> ReadAsync(ReadRequest request, CancellationToken cancellationToken);

    ValueTask<FuseReply> ReaddirAsync(ReaddirRequest request, CancellationToken cancellationToken);

    ValueTask<FuseReply> ReleaseAsync(ReleaseRequest request, CancellationToken cancellationToken);

    ValueTask<FuseReply> ReleasedirAsync(ReleaseRequest request, CancellationToken cancellationToken);

    ValueTask<FuseReply> StatfsAsync(StatfsRequest request, CancellationToken cancellationToken);

    ValueTask<FuseReply> DestroyAsync(DestroyRequest request, CancellationToken cancellationToken);
}
