using System.Text.Json;

using EsxiImport.Emulator.Http;

namespace EsxiImport.Emulator.Cli;

/// <summary>
/// The one line the standalone emulator prints on stdout once it serves: a JSON object with the
/// URL, the credentials, the certificate fingerprint and PEM path, and the scenario name, so a
/// script can start it and read where to connect.
/// </summary>
public static class ReadyLine
{
    public static string Render(EmulatorHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return JsonSerializer.Serialize(new Dictionary<string, string?>
        {
            ["url"] = host.BaseUri.ToString(),
            ["user"] = host.User.Name,
            ["password"] = host.User.Password,
            ["fingerprint"] = host.CertificateFingerprint,
            ["certPath"] = host.CertificatePemPath,
            ["scenario"] = host.Scenario.Name,
        });
    }
}
