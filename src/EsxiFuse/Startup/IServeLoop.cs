namespace EsxiImport.EsxiFuse.Startup;

/// <summary>
/// SERVE: answers FUSE requests from the mount through the session until
/// <paramref name="stop"/> fires (SIGTERM/SIGINT) or the kernel ends the session (unmounted from
/// outside). Background per-VM checks (without <c>--strict</c>) run from here.
/// </summary>
public interface IServeLoop
{
    Task ServeAsync(IMountedFileSystem mount, IHostConnection session, ConnectRequest settings, CancellationToken stop);
}
