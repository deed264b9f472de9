using EsxiImport.Diagnostics;
using EsxiImport.Emulator.Inventory;
using EsxiImport.Emulator.Scenarios;
using EsxiImport.Emulator.Sessions;
using EsxiImport.Vim25;

using Microsoft.AspNetCore.Http;

namespace EsxiImport.Emulator.Soap;

/// <summary>
/// The vim25 SOAP endpoint of the emulated host (<c>POST /sdk</c>) and its version document
/// (<c>GET /sdk/vimServiceVersions.xml</c>): reads the request, finds the session by its cookie,
/// hands the call to <see cref="SoapDispatcher"/> and writes the reply for the version named in
/// SOAPAction, or the fault through <see cref="SoapFaultWriter"/>. The methods served are the rows
/// of <see cref="SoapMethods"/>: the subset pyvmomi's SmartConnect, a listvms-style walk and our own
/// listing client use.
/// </summary>
public sealed class SdkService : ISdkHandler
{
    private const int MaxRequestBytes = 16 << 20;

    private readonly SdkState _state;
    private readonly ApiVersion _hostVersion;

    public SdkService(Scenario scenario, SessionStore sessions)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(sessions);
        _state = new SdkState(scenario, sessions);
        _hostVersion = new ApiVersion(scenario.Host.ApiVersion);
    }

    /// <summary>The managed objects served, built from the scenario.</summary>
    public HostInventory Inventory => _state.Inventory;

    /// <summary>Number of ContainerViews currently alive (a client that never calls DestroyView leaks them).</summary>
    public int ViewCount => _state.Views.Count;

    /// <summary>Number of RetrievePropertiesEx tokens not yet continued or cancelled.</summary>
    public int PendingResultCount => _state.Pending.Count;

    /// <summary>Serves <c>GET /sdk/vimServiceVersions.xml</c> (no authentication, as on ESXi).</summary>
    public async Task VersionsAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var body = ServiceVersions.Document(_hostVersion);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/xml; charset=utf-8";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Serves one <c>POST /sdk</c> call: 200 with the reply, or 500 with a SOAP fault.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var version = ServiceVersions.Negotiate(context.Request.Headers["SOAPAction"].ToString(), _hostVersion);
        var body = await ReadBodyAsync(context).ConfigureAwait(false);
        SoapOutcome outcome;
        var method = "";
        if (body is null)
        {
            outcome = SoapFault.InvalidRequest(Messages.Format("emulator.soap.body-too-large", ("limit", MaxRequestBytes)));
        }
        else if (SoapRequest.TryParse(body, out var request) is { } parseFault)
        {
            outcome = parseFault;
        }
        else
        {
            method = request.Name;
            _state.Sessions.TryGet(context.Request.Cookies[SessionCookie.Name], out var session);
            outcome = SoapDispatcher.Dispatch(_state, request, session, version, context);
        }

        if (outcome is SoapFault fault)
        {
            await SoapFaultWriter.WriteAsync(context, fault.Type, fault.Message, fault.Detail).ConfigureAwait(false);
            return;
        }

        var reply = Render(((SoapReply)outcome).WriteReturn, method, version);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/xml; charset=utf-8";
        context.Response.ContentLength = reply.Length;
        await context.Response.Body.WriteAsync(reply, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + n > MaxRequestBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, n);
        }

        return buffer.ToArray();
    }

    private static byte[] Render(Action<VimXmlWriter>? writeReturn, string method, ApiVersion version) => SoapEnvelope.Answer(w =>
    {
        w.WriteStartElement("", method + "Response", VimXml.VimUri);
        writeReturn?.Invoke(new VimXmlWriter(w, version));
        w.WriteFullEndElement();
    });
}
