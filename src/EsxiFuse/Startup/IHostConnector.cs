namespace EsxiImport.EsxiFuse.Startup;

/// <summary>
/// CONNECT + AUTHENTICATE: builds the HTTP client and logs in once; login, certificate, refused
/// connection, DNS and timeout failures are thrown here and become early errors.
/// </summary>
public interface IHostConnector
{
    Task<IHostConnection> ConnectAsync(ConnectRequest request, CancellationToken cancellationToken);
}
