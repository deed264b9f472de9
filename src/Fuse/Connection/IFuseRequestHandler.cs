using EsxiImport.Fuse.Protocol;
using EsxiImport.Fuse.Protocol.Requests;
using EsxiImport.Fuse.Protocol.Wire;

namespace EsxiImport.Fuse.Connection;

/// <summary>
/// What a server hands requests to. INIT, INTERRUPT, unsupported and modifying requests never
/// reach it (the server answers them); FORGET reaches <see cref="Forget"/> and is never answered.
/// Everything else goes to <see cref="HandleAsync"/>, whose one returned reply is the one answer:
/// a throw becomes EIO (and a log line), a cancellation by INTERRUPT becomes EINTR.
/// </summary>
public interface IFuseRequestHandler
{
    ValueTask<FuseReply> HandleAsync(FuseRequest request, CancellationToken cancellationToken);

    /// <summary>Drops lookup counts; called on a reader thread, so it must be quick and must not block.</summary>
    void Forget(IReadOnlyList<ForgetOne> items);
}

/// <summary>
/// An <see cref="IFuseRequestHandler"/> with one virtual method per answered opcode, reached
/// through the opcode's row; each answers ENOSYS until overridden, except DESTROY, which is
/// acknowledged.
/// </summary>
public abstract class FuseHandlerBase : IFuseRequestHandler, IOpcodeHandlers
{
    protected static readonly ValueTask<FuseReply> NotImplemented = ValueTask.FromResult(FuseReply.Error(Errno.ENOSYS));

    public ValueTask<FuseReply> HandleAsync(FuseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return OpcodeTable.Find(request.Header.Opcode)?.Handle is { } handle ? handle(this, request, cancellationToken) : NotImplemented;
    }

    public virtual void Forget(IReadOnlyList<ForgetOne> items)
    {
    }

    public virtual ValueTask<FuseReply> LookupAsync(LookupRequest request, CancellationToken cancellationToken) => NotImplemented;

    public virtual ValueTask<FuseReply> GetattrAsync(GetattrRequest request, CancellationToken cancellationToken) => NotImplemented;

    public virtual ValueTask<FuseReply> OpenAsync(OpenRequest request, CancellationToken cancellationToken) => NotImplemented;

    public virtual ValueTask<FuseReply> OpendirAsync(OpenRequest request, CancellationToken cancellationToken) => NotImplemented;

    public virtual ValueTask<FuseReply> ReadAsync(ReadRequest request, CancellationToken cancellationToken) => NotImplemented;

    public virtual ValueTask<FuseReply> ReaddirAsync(ReaddirRequest request, CancellationToken cancellationToken) => NotImplemented;

    public virtual ValueTask<FuseReply> ReleaseAsync(ReleaseRequest request, CancellationToken cancellationToken) => NotImplemented;

    public virtual ValueTask<FuseReply> ReleasedirAsync(ReleaseRequest request, CancellationToken cancellationToken) => NotImplemented;

    public virtual ValueTask<FuseReply> StatfsAsync(StatfsRequest request, CancellationToken cancellationToken) => NotImplemented;

    public virtual ValueTask<FuseReply> DestroyAsync(DestroyRequest request, CancellationToken cancellationToken) => ValueTask.FromResult(FuseReply.Empty);
}
