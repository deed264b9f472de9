using System.Reflection;

using EsxiImport.Emulator.Scenarios;
using EsxiImport.Emulator.Sessions;

using Microsoft.AspNetCore.Http;

namespace EsxiImport.Emulator.Http;

/// <summary>The vim25 SOAP API the host maps at <c>POST /sdk</c> and <c>GET /sdk/vimServiceVersions.xml</c>.</summary>
public interface ISdkHandler
{
    /// <summary>Answers one SOAP request.</summary>
    Task HandleAsync(HttpContext context);

    /// <summary>Serves vimServiceVersions.xml.</summary>
    Task VersionsAsync(HttpContext context);
}

/// <summary>
/// Finds the SOAP implementation, <c>EsxiImport.Emulator.Soap.SdkService</c>, built in its own
/// folder: a public class constructed from <c>(Scenario, SessionStore)</c> with
/// <c>Task HandleAsync(HttpContext)</c> and <c>Task VersionsAsync(HttpContext)</c>. Looked up by
/// name so the HTTP host does not depend on it at compile time; without it /sdk answers 404.
/// </summary>
internal static class SdkHandlerDiscovery
{
    private const string TypeName = "EsxiImport.Emulator.Soap.SdkService";

    public static ISdkHandler? Create(Scenario scenario, SessionStore sessions)
    {
        var type = typeof(SdkHandlerDiscovery).Assembly.GetType(TypeName);
        if (type is null)
        {
            return null;
        }

        var instance = Activator.CreateInstance(type, scenario, sessions)!;
        if (instance is ISdkHandler direct)
        {
            return direct;
        }

        return new ReflectedSdkHandler(instance, Method(type, "HandleAsync"), Method(type, "VersionsAsync"));
    }

    private static MethodInfo Method(Type type, string name) =>
        type.GetMethod(name, [typeof(HttpContext)])
        ?? throw new InvalidOperationException($"{TypeName} has no public Task {name}(HttpContext)");

    private sealed class ReflectedSdkHandler(object target, MethodInfo handle, MethodInfo versions) : ISdkHandler
    {
        public Task HandleAsync(HttpContext context) => (Task)handle.Invoke(target, [context])!;

        public Task VersionsAsync(HttpContext context) => (Task)versions.Invoke(target, [context])!;
    }
}
