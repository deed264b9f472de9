namespace EsxiImport.Emulator.Faults;

/// <summary>
/// A fault rule as written in a scenario or on the command line (<c>--fault</c>); the fault
/// module parses and validates it. Kept as data, so the scenario model that holds it has no behaviour.
/// </summary>
public sealed class FaultRuleSpec
{
    /// <summary><c>folder</c> or <c>sdk</c>.</summary>
    public string Endpoint { get; init; } = "folder";

    /// <summary>For /folder: a glob on the decoded datastore path; for /sdk: the SOAP method name (glob).</summary>
    public string Match { get; init; } = "*";

    /// <summary>HTTP method (GET, HEAD, POST) or null for any.</summary>
    public string? Method { get; init; }

    /// <summary>When the rule fires: <c>always</c>, <c>first:N</c>, <c>skip:N:M</c>, <c>after-bytes:N</c>, <c>probability:P:SEED</c>, <c>in-flight-above:N</c>.</summary>
    public string Trigger { get; init; } = "always";

    /// <summary>
    /// What happens: <c>status:CODE</c>, <c>delay:MS</c>, <c>reset-before</c>, <c>reset-mid-body</c>,
    /// <c>truncate</c>, <c>content-type:TYPE</c>, <c>no-content-type</c>, <c>html</c>, <c>soap-fault:NAME</c>,
    /// <c>trickle:BYTES_PER_SEC</c>, <c>expire-session</c>.
    /// </summary>
    public string Action { get; init; } = "status:500";

    /// <summary>Body for a status action; a short default text otherwise.</summary>
    public string? Body { get; init; }
}
