using System.Text;

using EsxiImport.Diagnostics;
using EsxiImport.Emulator.Faults;
using EsxiImport.Emulator.Scenarios;
using EsxiImport.Emulator.Sessions;
using EsxiImport.Emulator.Soap;
using EsxiImport.Vim25;

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace EsxiImport.Emulator.Http;

/// <summary>
/// The one choke point every request passes. In this order it: (1) logs the request and counts
/// it in flight per endpoint; (2) enforces the host's /folder in-flight limit (503, as
/// rhttpproxy answers), then lets the host model (<see cref="HostModel"/>) delay the first byte
/// and pace the body of a /folder answer; (3) finds the rule subject (decoded datastore path, or SOAP method);
/// (4) walks the fault rules in order — a fired rule that ends the request (status, reset-before,
/// html, soap-fault) stops the walk and the endpoint; delay, expire-session and content-type
/// actions apply and the walk goes on, as do size and ignore-range, which bend the file
/// endpoint's answer; body actions (after-bytes, truncate, reset-mid-body,
/// trickle) are collected and applied while the body is sent; (5) runs the endpoint;
/// (6) records status and bytes.
/// </summary>
internal sealed class RequestGate(
    RequestDelegate next, FaultRuleSet rules, EmulatorCounters counters, RequestLog log, SessionStore sessions, HostModel host)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        FaultEndpoint? endpoint = path.StartsWith("/folder", StringComparison.Ordinal) ? FaultEndpoint.Folder
            : path.StartsWith("/sdk", StringComparison.Ordinal) ? FaultEndpoint.Sdk
            : null;
        var concurrency = counters.Enter(endpoint);
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? path;
        var entry = new RequestLogEntry
        {
            Sequence = log.NextSequence(),
            Method = context.Request.Method,
            Target = raw,
            Protocol = context.Request.Protocol,
            Range = context.Request.Headers.Range.Count > 0 ? context.Request.Headers.Range.ToString() : null,
            ConcurrencyAtArrival = concurrency,
        };
        log.Add(entry);
        context.Features.Set(entry);
        try
        {
            await RunAsync(context, endpoint, concurrency, raw, entry).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException || (e is IOException && context.RequestAborted.IsCancellationRequested))
        {
            // The client went away or a fault closed the connection: nothing more to send.
        }
        finally
        {
            entry.Status = context.Response.StatusCode;
            if (entry.BytesSent == 0 && context.Response.ContentLength is { } length && !HttpMethods.IsHead(context.Request.Method)
                && !context.RequestAborted.IsCancellationRequested)
            {
                entry.AddBytes(length);
            }

            counters.AddBytes(entry.BytesSent);
            counters.Leave(endpoint, entry.Status);
            log.Complete(entry);
        }
    }

    private async Task RunAsync(HttpContext context, FaultEndpoint? endpoint, int concurrency, string raw, RequestLogEntry entry)
    {
        if (endpoint == FaultEndpoint.Folder && host.Limits.MaxFolderRequestsInFlight is { } max && concurrency > max)
        {
            counters.CountBusy();
            await WriteTextAsync(context, StatusCodes.Status503ServiceUnavailable, Messages.Text("emulator.http.busy")).ConfigureAwait(false);
            return;
        }

        if (endpoint is not { } ep)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        if (ep == FaultEndpoint.Folder)
        {
            await host.ShapeFolderAnswerAsync(context).ConfigureAwait(false);
        }

        var subject = ep == FaultEndpoint.Folder
            ? FolderTarget.Parse(raw, out _)?.Path ?? raw
            : HttpMethods.IsPost(context.Request.Method)
                ? await SoapMethodPeek.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false) ?? ""
                : Path.GetFileNameWithoutExtension(context.Request.Path.Value ?? "");
        entry.Subject = subject;

        var applied = new List<int>();
        var bodyFaults = new List<BodyFault>();
        try
        {
            foreach (var rule in rules.Rules)
            {
                if (!rule.Matches(ep, context.Request.Method, subject) || !rule.Fires(concurrency))
                {
                    continue;
                }

                applied.Add(rule.Id);
                var atBytes = (rule.Trigger as FaultTrigger.AfterBytes)?.Bytes;
                if (rule.Action.ShapesBody && (atBytes is not null || rule.Action is not FaultAction.Delay))
                {
                    // Counted when the body reaches the fault's position.
                    bodyFaults.Add(new BodyFault(rule, rule.Action, atBytes));
                    continue;
                }

                counters.CountFaultHit(rule);
                if (await ApplyAsync(context, rule).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        finally
        {
            entry.FaultsApplied = applied;
        }

        if (bodyFaults.Count > 0)
        {
            var original = context.Features.Get<IHttpResponseBodyFeature>()!;
            var shaping = new ShapingStream(original.Stream, context, bodyFaults, counters.CountFaultHit, entry);
            context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(shaping, original));
        }

        await next(context).ConfigureAwait(false);
    }

    /// <summary>Applies a pre-body action; true when it answered the request.</summary>
    private async Task<bool> ApplyAsync(HttpContext context, FaultRule rule)
    {
        switch (rule.Action)
        {
            case FaultAction.Delay d:
                await Task.Delay(d.Milliseconds, context.RequestAborted).ConfigureAwait(false);
                return false;
            case FaultAction.ExpireSession:
                if (SessionCookie.IdFrom(context.Request.Headers.Cookie) is { } id)
                {
                    sessions.Remove(id);
                }
                else
                {
                    sessions.Clear();
                }

                return false;
            case FaultAction.ContentType ct:
                context.Response.OnStarting(() =>
                {
                    context.Response.ContentType = ct.Value;
                    return Task.CompletedTask;
                });
                return false;
            case FaultAction.Size size:
                Shaping(context).Size = size.Bytes;
                return false;
            case FaultAction.IgnoreRange:
                Shaping(context).IgnoreRange = true;
                return false;
            case FaultAction.Chunked:
                // Kestrel frames a body of unset length as chunked; the endpoint sets the length
                // before the first write, so it is taken back just before the headers go out.
                context.Response.OnStarting(() =>
                {
                    context.Response.ContentLength = null;
                    return Task.CompletedTask;
                });
                return false;
            case FaultAction.NoContentType:
                context.Response.OnStarting(() =>
                {
                    context.Response.Headers.ContentType = default;
                    return Task.CompletedTask;
                });
                return false;
            case FaultAction.Status s:
                await WriteTextAsync(context, s.Code, rule.Spec.Body ?? Messages.Format("emulator.fault.injected-status", ("code", s.Code))).ConfigureAwait(false);
                return true;
            case FaultAction.ResetBefore:
                ShapingStream.Reset(context);
                return true;
            case FaultAction.Html:
                context.Response.StatusCode = StatusCodes.Status200OK;
                await WriteBodyAsync(context, "text/html; charset=utf-8", rule.Spec.Body ?? Messages.Text("emulator.fault.html-page")).ConfigureAwait(false);
                return true;
            case FaultAction.SoapFault f:
                await SoapFaultWriter.WriteAsync(context, f.Name, rule.Spec.Body ?? Messages.Format("emulator.fault.injected-soap-fault", ("name", f.Name))).ConfigureAwait(false);
                return true;
            default:
                return false;
        }
    }

    private static AnswerShaping Shaping(HttpContext context)
    {
        if (context.Features.Get<AnswerShaping>() is not { } shaping)
        {
            shaping = new AnswerShaping();
            context.Features.Set(shaping);
        }

        return shaping;
    }

    internal static Task WriteTextAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        return WriteBodyAsync(context, "text/plain; charset=utf-8", text);
    }

    private static async Task WriteBodyAsync(HttpContext context, string contentType, string text)
    {
        var body = Encoding.UTF8.GetBytes(text);
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
