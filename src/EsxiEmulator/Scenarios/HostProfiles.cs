namespace EsxiImport.Emulator.Scenarios;

/// <summary>
/// Named host models (<c>limits: { profile: NAME }</c> in a scenario, <c>--host-profile NAME</c>
/// on the command line), each standing for a published field figure. Per-request rates are
/// derived from figures measured with upstream's tool, which keeps 4 requests in flight: a total
/// of T with 4 in flight means about T/4 per request. Where no public figure exists (the 503
/// thresholds, the time to first byte) the value is a stand-in, said so here.
/// </summary>
public static class HostProfiles
{
    private const long MiB = 1 << 20;

    /// <summary>Every profile by name, with the figure it stands for.</summary>
    public static IReadOnlyList<HostProfile> All { get; } =
    [
        new("unlimited", "loopback without limits: what the machine itself can move", new HostLimits()),
        new(
            "nvme-25gbe",
            "a fast host: upstream's tool imports at 125–140 MiB/s on 25 GbE NVMe to NVMe (35 MiB/s a request), "
                + "while dd | nc on the same hardware moved 330 MB/s (the host's total); no 503 threshold is published",
            new HostLimits { StreamBytesPerSecond = 35 * MiB, TotalBytesPerSecond = 315 * MiB, FirstByteDelay = TimeSpan.FromMilliseconds(2) }),
        new(
            "iscsi",
            "a slow per-request host: about 40 MB/s from an iSCSI datastore with upstream's 4 in flight (9.5 MiB/s a request); "
                + "503 above 8 in flight and 5 ms to the first byte are stand-ins",
            new HostLimits { StreamBytesPerSecond = 19 * MiB / 2, MaxFolderRequestsInFlight = 8, FirstByteDelay = TimeSpan.FromMilliseconds(5) }),
        new(
            "throttling",
            "a busy host: the iSCSI host's per-request rate, and rhttpproxy answers 503 above 4 in flight (upstream's fixed number)",
            new HostLimits { StreamBytesPerSecond = 19 * MiB / 2, MaxFolderRequestsInFlight = 4, FirstByteDelay = TimeSpan.FromMilliseconds(5) }),
        new(
            "esxi8-connections",
            "an ESXi 8 host that limits connections (upstream moved to HTTP/2 in 0.5.1 to open fewer): 2 connections, "
                + "the fast host's 35 MiB/s a request, 503 above 8 in flight (the last two are stand-ins)",
            new HostLimits { StreamBytesPerSecond = 35 * MiB, MaxConnections = 2, MaxFolderRequestsInFlight = 8, FirstByteDelay = TimeSpan.FromMilliseconds(2) }),
    ];

    /// <summary>The names, for error messages and usage lines.</summary>
    public static string Names => string.Join(", ", All.Select(p => p.Name));

    /// <summary>The profile's limits (named after it), or null for an unknown name.</summary>
    public static HostLimits? Find(string name) =>
        All.FirstOrDefault(p => p.Name == name) is { } p ? p.Limits with { Profile = p.Name } : null;
}

/// <summary>One named host model and the public figure it stands for.</summary>
public sealed record HostProfile(string Name, string StandsFor, HostLimits Limits);
