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
/// An <see cref="IFuseRequestHandler"/> with one virtual method per implemented opcode; each
/// answers ENOSYS until overridden.
/// </summary>
public abstract class FuseHandlerBase : IFuseRequestHandler
{
    protected static readonly ValueTask<FuseReply> NotImplemented = ValueTask.FromResult(FuseReply.Error(Errno.ENOSYS));

    public ValueTask<FuseReply> HandleAsync(FuseRequest request, CancellationToken cancellationToken) => request switch
    {
        LookupRequest r => LookupAsync(r, cancellationToken),
        GetattrRequest r => GetattrAsync(r, cancellationToken),
        OpenRequest { IsDirectory: true } r => OpendirAsync(r, cancellationToken),
        OpenRequest r => OpenAsync(r, cancellationToken),
        ReadRequest r => ReadAsync(r, cancellationToken),
        ReaddirRequest r => ReaddirAsync(r, cancellationToken),
        ReleaseRequest { IsDirectory: true } r => ReleasedirAsync(r, cancellationToken),
        ReleaseRequest r => ReleaseAsync(r, cancellationToken),
        StatfsRequest r => StatfsAsync(r, cancellationToken),
        DestroyRequest => ValueTask.FromResult(FuseReply.Empty),
        _ => NotImplemented,
    };

    public virtual void Forget(IReadOnlyList<ForgetOne> items)
    {
    }

    protected virtual ValueTask<FuseReply> LookupAsync(LookupRequest request, CancellationToken cancellationToken) => NotImplemented;

    protected virtual ValueTask<FuseReply> GetattrAsync(GetattrRequest request, CancellationToken cancellationToken) => NotImplemented;

    protected virtual ValueTask<FuseReply> OpenAsync(OpenRequest request, CancellationToken cancellationToken) => NotImplemented;

    protected virtual ValueTask<FuseReply> OpendirAsync(OpenRequest request, CancellationToken cancellationToken) => NotImplemented;

    protected virtual ValueTask<FuseReply> ReadAsync(ReadRequest request, CancellationToken cancellationToken) => NotImplemented;

    protected virtual ValueTask<FuseReply> ReaddirAsync(ReaddirRequest request, CancellationToken cancellationToken) => NotImplemented;

    protected virtual ValueTask<FuseReply> ReleaseAsync(ReleaseRequest request, CancellationToken cancellationToken) => NotImplemented;

    protected virtual ValueTask<FuseReply> ReleasedirAsync(ReleaseRequest request, CancellationToken cancellationToken) => NotImplemented;

    protected virtual ValueTask<FuseReply> StatfsAsync(StatfsRequest request, CancellationToken cancellationToken) => NotImplemented;
}
