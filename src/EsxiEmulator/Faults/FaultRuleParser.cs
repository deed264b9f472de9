using System.Globalization;

using EsxiImport.Diagnostics;

namespace EsxiImport.Emulator.Faults;

/// <summary>
/// Parses fault rules from the scenario form (<see cref="FaultRuleSpec"/>) and from the one-line
/// form used by <c>--fault</c>: <c>ENDPOINT:METHOD:GLOB:TRIGGER[:ARGS]:ACTION[:ARGS]</c>, e.g.
/// <c>folder:GET:*-flat.vmdk:first:3:status:503</c>. Triggers and actions take a fixed number of
/// arguments; the last argument of <c>status:CODE:BODY</c> and <c>content-type:TYPE</c> runs to
/// the end of the line, so it may contain ':'. See spec/scenarios/README.md.
/// </summary>
public static class FaultRuleParser
{
    private static readonly Dictionary<string, int> TriggerArity = new(StringComparer.Ordinal)
    {
        ["always"] = 0,
        ["first"] = 1,
        ["skip"] = 2,
        ["after-bytes"] = 1,
        ["probability"] = 2,
        ["in-flight-above"] = 1,
    };

    /// <summary>Parses the one-line form.</summary>
    public static FaultRule ParseLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var parts = line.Split(':');
        if (parts.Length < 5)
        {
            throw ToolError.Of("emulator.fault.bad-syntax", ErrorKind.InvalidInput, ("rule", line));
        }

        var triggerName = parts[3];
        if (!TriggerArity.TryGetValue(triggerName, out var arity))
        {
            throw ToolError.Of("emulator.fault.unknown-trigger", ErrorKind.InvalidInput, ("rule", line), ("trigger", triggerName));
        }

        var actionAt = 4 + arity;
        if (parts.Length <= actionAt)
        {
            throw ToolError.Of("emulator.fault.bad-syntax", ErrorKind.InvalidInput, ("rule", line));
        }

        var action = parts[actionAt];
        string? body = null;
        var rest = parts.Skip(actionAt + 1).ToArray();
        if (action == "status" && rest.Length > 1)
        {
            action = "status:" + rest[0];
            body = string.Join(':', rest.Skip(1));
        }
        else if (rest.Length > 0)
        {
            action += ":" + string.Join(':', rest);
        }

        var spec = new FaultRuleSpec
        {
            Endpoint = parts[0],
            Method = parts[1] is "*" or "" ? null : parts[1],
            Match = parts[2],
            Trigger = string.Join(':', parts[3..actionAt]),
            Action = action,
            Body = body,
        };
        return Parse(spec, line);
    }

    /// <summary>Parses the scenario form; <paramref name="text"/> names the rule in errors (defaults to its one-line rendering).</summary>
    public static FaultRule Parse(FaultRuleSpec spec, string? text = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        text ??= $"{spec.Endpoint}:{spec.Method ?? "*"}:{spec.Match}:{spec.Trigger}:{spec.Action}" + (spec.Body is null ? "" : ":" + spec.Body);
        var endpoint = spec.Endpoint switch
        {
            "folder" => FaultEndpoint.Folder,
            "sdk" => FaultEndpoint.Sdk,
            _ => throw ToolError.Of("emulator.fault.unknown-endpoint", ErrorKind.InvalidInput, ("rule", text), ("endpoint", spec.Endpoint)),
        };
        if (spec.Method is { } m && m != "*" && m is not ("GET" or "HEAD" or "POST" or "PUT" or "DELETE"))
        {
            throw ToolError.Of("emulator.fault.unknown-method", ErrorKind.InvalidInput, ("rule", text), ("method", m));
        }

        var trigger = ParseTrigger(spec.Trigger, text);
        var action = ParseAction(spec.Action, text);
        if (trigger is FaultTrigger.AfterBytes && !action.ShapesBody)
        {
            throw ToolError.Of("emulator.fault.after-bytes-action", ErrorKind.InvalidInput, ("rule", text), ("action", spec.Action));
        }

        if (action is FaultAction.SoapFault && endpoint != FaultEndpoint.Sdk)
        {
            throw ToolError.Of("emulator.fault.soap-fault-endpoint", ErrorKind.InvalidInput, ("rule", text));
        }

        return new FaultRule(spec, text, endpoint, trigger, action);
    }

    private static FaultTrigger ParseTrigger(string trigger, string rule)
    {
        var a = trigger.Split(':');
        if (!TriggerArity.TryGetValue(a[0], out var arity))
        {
            throw ToolError.Of("emulator.fault.unknown-trigger", ErrorKind.InvalidInput, ("rule", rule), ("trigger", a[0]));
        }

        if (a.Length != arity + 1)
        {
            throw ToolError.Of("emulator.fault.bad-arguments", ErrorKind.InvalidInput, ("rule", rule), ("part", trigger));
        }

        return a[0] switch
        {
            "always" => new FaultTrigger.Always(),
            "first" => new FaultTrigger.First(Number(a[1], rule, trigger)),
            "skip" => new FaultTrigger.SkipThen(Number(a[1], rule, trigger), Number(a[2], rule, trigger)),
            "after-bytes" => new FaultTrigger.AfterBytes(Number(a[1], rule, trigger)),
            "probability" => new FaultTrigger.Probability(Fraction(a[1], rule, trigger), (int)Number(a[2], rule, trigger)),
            _ => new FaultTrigger.InFlightAbove((int)Number(a[1], rule, trigger)),
        };
    }

    private static FaultAction ParseAction(string action, string rule)
    {
        var cut = action.IndexOf(':', StringComparison.Ordinal);
        var name = cut < 0 ? action : action[..cut];
        var arg = cut < 0 ? null : action[(cut + 1)..];
        FaultAction? parsed = (name, arg) switch
        {
            ("status", { } code) => new FaultAction.Status((int)Number(code, rule, action, 100, 599)),
            ("delay", { } ms) => new FaultAction.Delay((int)Number(ms, rule, action, 0, int.MaxValue)),
            ("reset-before", null) => new FaultAction.ResetBefore(),
            ("reset-mid-body", null) => new FaultAction.ResetMidBody(),
            ("truncate", null) => new FaultAction.Truncate(),
            ("content-type", { Length: > 0 } type) => new FaultAction.ContentType(type),
            ("no-content-type", null) => new FaultAction.NoContentType(),
            ("html", null) => new FaultAction.Html(),
            ("soap-fault", { Length: > 0 } fault) => new FaultAction.SoapFault(fault),
            ("trickle", { } bps) => new FaultAction.Trickle(Number(bps, rule, action, 1, long.MaxValue)),
            ("expire-session", null) => new FaultAction.ExpireSession(),
            ("size", { } bytes) => new FaultAction.Size(Number(bytes, rule, action)),
            ("ignore-range", null) => new FaultAction.IgnoreRange(),
            ("chunked", null) => new FaultAction.Chunked(),
            _ => null,
        };
        return parsed ?? throw ToolError.Of("emulator.fault.unknown-action", ErrorKind.InvalidInput, ("rule", rule), ("action", action));
    }

    private static long Number(string text, string rule, string part, long min = 0, long max = long.MaxValue)
    {
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
        {
            return n;
        }

        throw ToolError.Of("emulator.fault.bad-arguments", ErrorKind.InvalidInput, ("rule", rule), ("part", part));
    }

    private static double Fraction(string text, string rule, string part)
    {
        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var p) && p >= 0 && p <= 1)
        {
            return p;
        }

        throw ToolError.Of("emulator.fault.bad-arguments", ErrorKind.InvalidInput, ("rule", rule), ("part", part));
    }
}
