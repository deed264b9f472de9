using System.Xml;

using EsxiImport.Vim25;

using Microsoft.AspNetCore.Http;

namespace EsxiImport.Emulator.Soap;

/// <summary>
/// Sends a vim25 fault as the whole HTTP response (status 500, <c>text/xml; charset=utf-8</c>) in
/// the shape of <see cref="SoapFaults"/>. Both the SOAP methods and the fault injector answer faults
/// only through here.
/// </summary>
public static class SoapFaultWriter
{
    public static async Task WriteAsync(
        HttpContext context, string faultType, string faultString, Action<XmlWriter>? writeDetailFields = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var body = SoapFaults.Render(faultType, faultString, writeDetailFields);
        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        context.Response.ContentType = "text/xml; charset=utf-8";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
