using Microsoft.AspNetCore.Http;

namespace EsxiImport.Emulator.Soap;

/// <summary>
/// The vim25 SOAP API the host maps at <c>POST /sdk</c> and <c>GET /sdk/vimServiceVersions.xml</c>:
/// <see cref="SdkService"/>, or a test's own handler.
/// </summary>
public interface ISdkHandler
{
    /// <summary>Answers one SOAP request.</summary>
    Task HandleAsync(HttpContext context);

    /// <summary>Serves vimServiceVersions.xml.</summary>
    Task VersionsAsync(HttpContext context);
}
