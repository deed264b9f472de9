namespace EsxiImport.EsxiFuse.Diagnose;

/// <summary>How a startup step of a diagnosis ended.</summary>
public enum StepStatus
{
    /// <summary>The step did what a mount needs.</summary>
    Ok,

    /// <summary>The step passed with something the user should know (a mount would still come up).</summary>
    Warning,

    /// <summary>The step failed; with <see cref="StepResult.Fatal"/> a mount would fail here too.</summary>
    Failed,

    /// <summary>The step did not run: an earlier one it needs failed, or nothing asks for it.</summary>
    Skipped,
}

/// <summary>One startup step: what it found, and for a failure the whole cause chain and what to do.</summary>
/// <param name="Id">The step's id (<c>arguments</c>, <c>manifest</c>, <c>accounts</c>, <c>mount-options</c>, <c>mount-path</c>, <c>tls</c>, <c>login</c>, <c>datastores</c>, <c>vm-checks</c>).</param>
/// <param name="Status">How it ended.</param>
/// <param name="Detail">One line on what it found.</param>
/// <param name="Chain">The failure's cause chain, top first (empty unless failed or warned).</param>
/// <param name="Hint">One line on what to do, or null.</param>
/// <param name="Fatal">A mount would end its start with this failure.</param>
public sealed record StepResult(string Id, StepStatus Status, string Detail, IReadOnlyList<string> Chain, string? Hint, bool Fatal = false);

/// <summary>A throughput measurement: bytes read in a time, over some parallel range streams.</summary>
/// <param name="Streams">Parallel streams.</param>
/// <param name="Bytes">Bytes received in all.</param>
/// <param name="Seconds">Wall time of the whole run.</param>
/// <param name="Rejected">Requests the host answered 503.</param>
/// <param name="Failed">Requests that failed otherwise (status, connection), with the first reason.</param>
/// <param name="FirstFailure">The first failure's text, or null.</param>
public sealed record Throughput(int Streams, long Bytes, double Seconds, int Rejected, int Failed, string? FirstFailure)
{
    public double MibPerSecond => Seconds > 0 ? Bytes / 1048576.0 / Seconds : 0;
}

/// <summary>What the host is and how it answers.</summary>
public sealed record HostFacts
{
    public required string Address { get; init; }

    /// <summary>Product name as the host gives it (About.fullName), or null.</summary>
    public string? Product { get; init; }

    public string? Version { get; init; }

    public string? Build { get; init; }

    public string? ApiVersion { get; init; }

    /// <summary>Where the product facts came from: <c>about</c> (SOAP) or <c>vimServiceVersions.xml</c>.</summary>
    public string? ProductSource { get; init; }

    /// <summary>TLS protocol and the certificate's subject, issuer and trust, or null (plain HTTP, no connection).</summary>
    public TlsFacts? Tls { get; init; }

    /// <summary>HTTP versions the host offers (ALPN), e.g. <c>HTTP/2</c>, <c>HTTP/1.1</c>.</summary>
    public IReadOnlyList<string> HttpVersions { get; init; } = [];

    /// <summary>The <c>Accept-Ranges</c> header on a disk file, or null when the host sent none.</summary>
    public string? AcceptRanges { get; init; }

    /// <summary>The file the measurements read (the largest disk), as a datastore path.</summary>
    public string? ProbeFile { get; init; }

    public long? ProbeFileBytes { get; init; }

    /// <summary>Median HEAD latency in milliseconds, or null (skipped or failed).</summary>
    public double? HeadLatencyMs { get; init; }

    public int HeadSamples { get; init; }

    public Throughput? OneStream { get; init; }

    public IReadOnlyList<Throughput> Parallel { get; init; } = [];

    /// <summary>The first number of parallel streams the host answered 503, or null.</summary>
    public int? FirstRejectedStreams { get; init; }

    /// <summary>Why measurements were not made (quick, no file to read, the host failed), or null.</summary>
    public string? MeasurementNote { get; init; }

    /// <summary>What could not be found out, one line each.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>The TLS session a probe connection negotiated.</summary>
public sealed record TlsFacts(string Protocol, string Subject, string Issuer, bool Trusted, string? TrustProblem);

/// <summary>One file of a VM with its size, or the reason it could not be read.</summary>
public sealed record VmFile(string Path, long? Bytes, string? Problem);

/// <summary>One disk of a VM: its descriptor, extents and the chain of parents below it.</summary>
public sealed record VmDisk(
    string Slot,
    VmFile Descriptor,
    string? CreateType,
    long? CapacityBytes,
    IReadOnlyList<VmFile> Extents,
    IReadOnlyList<VmFile> Parents,
    string? Mode);

/// <summary>A VM as the host serves it, with what is known to break imports.</summary>
public sealed record VmSurvey
{
    public required string Datacenter { get; init; }

    public required string Name { get; init; }

    public required VmFile Vmx { get; init; }

    public string? Power { get; init; }

    public string? GuestOs { get; init; }

    public string? Firmware { get; init; }

    public IReadOnlyList<VmDisk> Disks { get; init; } = [];

    /// <summary>Import risks, each an id and one line (<c>efi-lsilogic</c>, <c>nvme</c>, ...).</summary>
    public IReadOnlyList<VmRisk> Risks { get; init; } = [];

    /// <summary>Parser warnings and what the mount's VM check would warn, one line each.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The mount's own VM check chain when it fails (a warning, or with --strict the start's error).</summary>
    public IReadOnlyList<string> CheckFailure { get; init; } = [];
}

/// <summary>An import risk read from the VM's files.</summary>
public sealed record VmRisk(string Id, string Text);

/// <summary>The whole diagnosis, what both renderings print.</summary>
public sealed record DiagnoseReport
{
    public required string ToolVersion { get; init; }

    public required IReadOnlyList<StepResult> Steps { get; init; }

    public HostFacts? Host { get; init; }

    public IReadOnlyList<VmSurvey> Vms { get; init; } = [];

    /// <summary>The line a mount would print on stderr (<c>Error: ...</c>), or null when it would come up.</summary>
    public string? MountError { get; init; }

    public required int ExitCode { get; init; }

    public bool Redacted { get; init; }

    public bool Quick { get; init; }
}
