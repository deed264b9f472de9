using System.Net;

using EsxiImport.Diagnostics;
using EsxiImport.Emulator.Scenarios;

namespace EsxiImport.Emulator.Cli;

/// <summary>The parsed command line of the standalone emulator.</summary>
public sealed record EmulatorCommandLine(string? Scenario, IPAddress Address, int Port, bool Http, IReadOnlyList<string> Faults)
{
    /// <summary>Recordings (HAR) to replay instead of a scenario, in order (a listing and a mount recorded apart); empty for a scenario.</summary>
    public IReadOnlyList<string> Replay { get; init; } = [];

    /// <summary>Recordings to turn into a scenario file and a golden case skeleton in <see cref="OutDirectory"/> (instead of serving).</summary>
    public IReadOnlyList<string> ToScenario { get; init; } = [];

    /// <summary>The folder <see cref="ToScenario"/> writes into.</summary>
    public string? OutDirectory { get; init; }

    /// <summary>Where to write the request counters as JSON at shutdown (benchmarks count requests with it).</summary>
    public string? CountersFile { get; init; }

    /// <summary><c>--request-log FILE</c>: one line per served request, written as each one ends.</summary>
    public string? RequestLogFile { get; init; }

    /// <summary><c>--host-profile NAME</c>: the named host model replaces the scenario's limits (its session timeout stays).</summary>
    public HostLimits? HostProfile { get; init; }

    /// <summary><c>--host-limit FIELD=VALUE</c>, in order, each already checked.</summary>
    public IReadOnlyList<(HostLimitFields.Field Field, long Value)> HostLimitOverrides { get; init; } = [];

    /// <summary>The scenario's limits with the command line's profile and overrides applied.</summary>
    public HostLimits Limits(HostLimits scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var limits = HostProfile is { } profile ? profile with { SessionIdleTimeout = scenario.SessionIdleTimeout } : scenario;
        return HostLimitOverrides.Aggregate(limits, (l, o) => o.Field.Set(l, o.Value));
    }

    /// <summary><c>-v</c>/<c>--version</c> anywhere: print the version instead of serving.</summary>
    public static bool AsksForVersion(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.Any(a => a is "-v" or "--version");
    }

    /// <summary>
    /// Parses <c>--scenario FILE|default|--replay FILE... [--listen ADDRESS:PORT] [--http] [--fault RULE]... [--counters-file FILE]
    /// [--request-log FILE] [--host-profile NAME] [--host-limit FIELD=VALUE]...</c>, or <c>--recording-to-scenario FILE... --out DIR</c>
    /// (also <c>--option=value</c>). Problems are <see cref="ToolError"/>s with kind InvalidInput.
    /// </summary>
    public static EmulatorCommandLine Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? scenario = null;
        var replay = new List<string>();
        var toScenario = new List<string>();
        string? outDirectory = null;
        var address = IPAddress.Loopback;
        var port = 0;
        var http = false;
        var faults = new List<string>();
        string? countersFile = null;
        string? requestLog = null;
        HostLimits? profile = null;
        var overrides = new List<(HostLimitFields.Field, long)>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? inline = null;
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }

            string Value()
            {
                if (inline is not null)
                {
                    return inline;
                }

                if (i + 1 >= args.Count)
                {
                    throw ToolError.Of("emulator.cli.missing-value", ErrorKind.InvalidInput, ("option", arg));
                }

                return args[++i];
            }

            switch (arg)
            {
                case "--scenario":
                    scenario = Value();
                    break;
                case "--replay":
                    replay.Add(Value());
                    break;
                case "--recording-to-scenario":
                    toScenario.Add(Value());
                    break;
                case "--out":
                    outDirectory = Value();
                    break;
                case "--listen":
                    (address, port) = ParseListen(Value());
                    break;
                case "--http":
                    http = true;
                    break;
                case "--fault":
                    faults.Add(Value());
                    break;
                case "--counters-file":
                    countersFile = Value();
                    break;
                case "--request-log":
                    requestLog = Value();
                    break;
                case "--host-profile":
                    var name = Value();
                    profile = HostProfiles.Find(name)
                        ?? throw ToolError.Of("emulator.cli.unknown-profile", ErrorKind.InvalidInput, ("value", name), ("allowed", HostProfiles.Names));
                    break;
                case "--host-limit":
                    overrides.Add(ParseHostLimit(Value()));
                    break;
                default:
                    throw ToolError.Of("emulator.cli.unknown-option", ErrorKind.InvalidInput, ("option", arg));
            }
        }

        if (toScenario.Count > 0 || outDirectory is not null)
        {
            return toScenario.Count > 0 && outDirectory is not null && scenario is null && replay.Count == 0
                ? new EmulatorCommandLine(null, address, port, http, faults) { ToScenario = toScenario, OutDirectory = outDirectory }
                : throw ToolError.Of("emulator.cli.to-scenario-needs-out", ErrorKind.InvalidInput);
        }

        return (scenario, replay.Count) switch
        {
            (null, 0) => throw ToolError.Of("emulator.cli.missing-scenario", ErrorKind.InvalidInput),
            (not null, > 0) => throw ToolError.Of("emulator.cli.scenario-and-replay", ErrorKind.InvalidInput),
            _ => new EmulatorCommandLine(scenario, address, port, http, faults)
            {
                Replay = replay,
                CountersFile = countersFile,
                RequestLogFile = requestLog,
                HostProfile = profile,
                HostLimitOverrides = overrides,
            },
        };
    }

    private static (HostLimitFields.Field, long) ParseHostLimit(string text)
    {
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        var field = eq > 0 ? HostLimitFields.Find(text[..eq]) : null;
        return field is not null && HostLimitFields.Parse(field, text[(eq + 1)..]) is { } value
            ? (field, value)
            : throw ToolError.Of("emulator.cli.bad-host-limit", ErrorKind.InvalidInput, ("value", text), ("allowed", HostLimitFields.Names));
    }

    private static (IPAddress, int) ParseListen(string value)
    {
        if (IPEndPoint.TryParse(value, out var endpoint) && value.Contains(':', StringComparison.Ordinal) && endpoint.Port is >= 0 and <= 65535)
        {
            return (endpoint.Address, endpoint.Port);
        }

        throw ToolError.Of("emulator.cli.bad-listen", ErrorKind.InvalidInput, ("value", value));
    }
}
