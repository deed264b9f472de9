namespace EsxiImport.EsxiFuse.Cli;

/// <summary>How <c>--diagnose</c> runs and what it prints.</summary>
public sealed record DiagnoseOptions
{
    /// <summary><c>--diagnose-quick</c>: no latency or throughput measurements.</summary>
    public bool Quick { get; init; }

    /// <summary><c>--diagnose-json</c>: the report as one JSON document for tools.</summary>
    public bool Json { get; init; }

    /// <summary><c>--redact</c>: host, datacenter, datastore and VM names become stable placeholders.</summary>
    public bool Redact { get; init; }

    /// <summary><c>--record FILE</c>: what the host answered, written to this file.</summary>
    public string? RecordPath { get; init; }
}
