using EsxiImport.Emulator.Faults;

namespace EsxiImport.Emulator.Scenarios;

// The in-memory form of a scenario file (spec/scenarios/*.yaml): the inventory an emulated host
// serves. Classes with init-only properties and defaults, so a YAML file states only what
// differs from an ordinary standalone ESXi host. The loader validates and fills derived values;
// every other part of the emulator (the /folder tree, the SOAP inventory, fault rules) reads
// only this model.

/// <summary>A whole emulated host.</summary>
public sealed class Scenario
{
    /// <summary>A short name, shown in the ready line and logs.</summary>
    public string Name { get; init; } = "unnamed";

    /// <summary>What the host reports about itself (version, build, API version).</summary>
    public HostInfo Host { get; init; } = new();

    /// <summary>Accounts that may log in (SOAP Login and Basic auth on /folder).</summary>
    public IReadOnlyList<ScenarioUser> Users { get; init; } = [new ScenarioUser()];

    /// <summary>Datacenters; a standalone host has exactly one, <c>ha-datacenter</c>.</summary>
    public IReadOnlyList<ScenarioDatacenter> Datacenters { get; init; } = [];

    /// <summary>Fault rules applied from the start (more can be added on the command line or by tests).</summary>
    public IReadOnlyList<FaultRuleSpec> Faults { get; init; } = [];

    /// <summary>Limits that a real host enforces (concurrent /folder requests, session timeout).</summary>
    public HostLimits Limits { get; init; } = new();
}

/// <summary>Identity of the emulated host as RetrieveServiceContent reports it.</summary>
public sealed class HostInfo
{
    public string Version { get; init; } = "8.0.3";

    public string Build { get; init; } = "24022510";

    public string ApiVersion { get; init; } = "8.0.3.0";
}

/// <summary>One account.</summary>
public sealed class ScenarioUser
{
    public string Name { get; init; } = "root";

    public string Password { get; init; } = "password";
}

/// <summary>
/// Limits of the emulated host; null means unlimited. Together they are the host model a
/// benchmark runs against (see <see cref="HostProfiles"/> for the named sets).
/// </summary>
public sealed record HostLimits
{
    /// <summary>The named profile these limits started from (<see cref="HostProfiles"/>), or null.</summary>
    public string? Profile { get; init; }

    /// <summary>More /folder requests in flight than this get 503 (as rhttpproxy does).</summary>
    public int? MaxFolderRequestsInFlight { get; init; }

    /// <summary>More TCP connections open at once than this are closed as soon as they are accepted.</summary>
    public int? MaxConnections { get; init; }

    /// <summary>Time from a /folder request's arrival to its answer's first byte.</summary>
    public TimeSpan? FirstByteDelay { get; init; }

    /// <summary>Body bytes per second of each /folder answer (one request, HTTP/1.1 or an h2 stream alike).</summary>
    public long? StreamBytesPerSecond { get; init; }

    /// <summary>Body bytes per second of /folder answers on one TCP connection, all its h2 streams together.</summary>
    public long? ConnectionBytesPerSecond { get; init; }

    /// <summary>Body bytes per second of all /folder answers of the host together.</summary>
    public long? TotalBytesPerSecond { get; init; }

    /// <summary>Idle time after which a session cookie stops working.</summary>
    public TimeSpan SessionIdleTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Whether any limit paces /folder answer bodies.</summary>
    public bool PacesBodies => StreamBytesPerSecond is not null || ConnectionBytesPerSecond is not null || TotalBytesPerSecond is not null;
}

/// <summary>A datacenter with its datastores and the VMs registered in it.</summary>
public sealed class ScenarioDatacenter
{
    public string Name { get; init; } = "ha-datacenter";

    public IReadOnlyList<ScenarioDatastore> Datastores { get; init; } = [];

    public IReadOnlyList<ScenarioVm> Vms { get; init; } = [];
}

/// <summary>A datastore; its URL is <c>/vmfs/volumes/&lt;uuid&gt;/</c>.</summary>
public sealed class ScenarioDatastore
{
    public string Name { get; init; } = "datastore1";

    /// <summary>The VMFS volume UUID, e.g. <c>65a0b1c2-d3e4f5a6-0718-000c29aabbcc</c>.</summary>
    public string Uuid { get; init; } = "";

    /// <summary>Files and folders that exist besides the VMs' own files.</summary>
    public IReadOnlyList<ScenarioFile> Files { get; init; } = [];

    /// <summary>The URL listing tools record for this datastore.</summary>
    public string Url => "/vmfs/volumes/" + Uuid + "/";
}

/// <summary>
/// A VM. Its .vmx is <see cref="VmxContent"/> verbatim when given, otherwise generated from the
/// fields (display name, guest OS, memory, CPUs, firmware, disks, extraConfig).
/// </summary>
public sealed class ScenarioVm
{
    public string Name { get; init; } = "";

    /// <summary>Datastore holding the VM's folder and .vmx.</summary>
    public string Datastore { get; init; } = "";

    /// <summary>The VM's folder on that datastore; defaults to the VM name.</summary>
    public string? Folder { get; init; }

    /// <summary>The .vmx file name inside the folder; defaults to <c>&lt;name&gt;.vmx</c>.</summary>
    public string? VmxFile { get; init; }

    /// <summary>The exact .vmx text, when a test needs a hand-written one.</summary>
    public string? VmxContent { get; init; }

    public string GuestOs { get; init; } = "otherlinux-64";

    public int MemoryMb { get; init; } = 1024;

    public int Cpus { get; init; } = 1;

    /// <summary><c>bios</c> or <c>efi</c>.</summary>
    public string Firmware { get; init; } = "bios";

    /// <summary><c>poweredOn</c>, <c>poweredOff</c> or <c>suspended</c>.</summary>
    public string PowerState { get; init; } = "poweredOff";

    /// <summary>Extra .vmx / config.extraConfig entries (e.g. <c>HDCS.agent = true</c> marks a vCLS VM).</summary>
    public IReadOnlyDictionary<string, string> ExtraConfig { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<ScenarioDisk> Disks { get; init; } = [];

    /// <summary>The VM's config cannot be read over SOAP (an orphaned or inaccessible VM).</summary>
    public bool ConfigUnavailable { get; init; }

    /// <summary>vmxConfigChecksum as hex; null means the host does not report one ("N/A").</summary>
    public string? ConfigChecksum { get; init; }
}

/// <summary>
/// A virtual disk: a text descriptor <c>&lt;path&gt;.vmdk</c> plus one flat extent
/// <c>&lt;stem&gt;-flat.vmdk</c> holding <see cref="CapacityBytes"/> bytes of generated content.
/// </summary>
public sealed class ScenarioDisk
{
    /// <summary>The controller slot, e.g. <c>scsi0:0</c>, <c>sata0:1</c>, <c>nvme0:0</c>.</summary>
    public string Slot { get; init; } = "scsi0:0";

    /// <summary>The datastore holding the disk; defaults to the VM's datastore.</summary>
    public string? Datastore { get; init; }

    /// <summary>The descriptor's path on that datastore; defaults to <c>&lt;folder&gt;/&lt;vm&gt;.vmdk</c> (numbered from the second disk).</summary>
    public string? Path { get; init; }

    public long CapacityBytes { get; init; } = 1L << 30;

    public ContentSpec Content { get; init; } = new();

    /// <summary>
    /// How the .vmx names the disk: <c>relative</c> (file name only, next to the .vmx),
    /// <c>uuid</c> (<c>/vmfs/volumes/&lt;uuid&gt;/…</c>) or <c>name</c> (<c>/vmfs/volumes/&lt;datastore name&gt;/…</c>).
    /// </summary>
    public string VmxPathStyle { get; init; } = "relative";
}

/// <summary>
/// Content of a generated file as a function of (file, offset), so a 64 GiB disk costs no memory:
/// <c>zeros</c>, <c>sparse</c> (zeros with a marked block every <see cref="Stride"/> bytes),
/// <c>pattern</c> (seeded pseudo-random bytes), <c>text</c> (<see cref="Text"/>, UTF-8),
/// <c>base64</c> (the bytes <see cref="Text"/> encodes: a recorded .vmx in a legacy code page), or
/// <c>file</c> (the bytes of a real file at <see cref="File"/>).
/// </summary>
public sealed class ContentSpec
{
    public string Kind { get; init; } = "pattern";

    public ulong Seed { get; init; } = 1;

    public long Stride { get; init; } = 1L << 20;

    public string? Text { get; init; }

    public string? File { get; init; }
}

/// <summary>An extra file or folder on a datastore.</summary>
public sealed class ScenarioFile
{
    /// <summary>Path relative to the datastore root; a trailing '/' or <see cref="Directory"/> makes a folder.</summary>
    public string Path { get; init; } = "";

    public bool Directory { get; init; }

    /// <summary>Size for generated content; ignored for text and file content.</summary>
    public long Size { get; init; }

    public ContentSpec Content { get; init; } = new() { Kind = "zeros" };
}
