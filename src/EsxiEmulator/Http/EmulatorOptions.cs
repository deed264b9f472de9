using System.Net;

using EsxiImport.Emulator.Scenarios;
using EsxiImport.Emulator.Soap;

namespace EsxiImport.Emulator.Http;

/// <summary>How an emulator instance listens and what it adds to its scenario.</summary>
public sealed class EmulatorOptions
{
    /// <summary>The address to bind; loopback unless a person runs the emulator by hand.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The port; 0 picks a free one (see <see cref="EmulatorHost.BaseUri"/>).</summary>
    public int Port { get; init; }

    /// <summary>HTTPS with a generated certificate (the default), or plain HTTP.</summary>
    public bool UseHttps { get; init; } = true;

    /// <summary>Fault rules in the one-line syntax, applied after the scenario's own rules.</summary>
    public IReadOnlyList<string> FaultRules { get; init; } = [];

    /// <summary>The host model, instead of the scenario's <c>limits:</c> (the command line's <c>--host-profile</c>/<c>--host-limit</c>).</summary>
    public HostLimits? Limits { get; init; }

    /// <summary>The clock of the session store (tests of idle expiry pass a fake one).</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>
    /// The SOAP API; null serves <see cref="SdkService"/>. Tests can pass their own handler, or a
    /// factory that returns null for a host whose /sdk answers 404.
    /// </summary>
    public Func<Scenario, Sessions.SessionStore, ISdkHandler?>? SdkHandlerFactory { get; init; }
}
