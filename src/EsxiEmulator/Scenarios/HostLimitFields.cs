namespace EsxiImport.Emulator.Scenarios;

/// <summary>
/// The numeric fields of <c>limits:</c>, one table for both the scenario file and the command
/// line's <c>--host-limit FIELD=VALUE</c>: name, whether sizes take KiB/MiB/GiB suffixes, and how
/// a value is set (0 is refused for rates and counts, where it would mean a dead host).
/// </summary>
public static class HostLimitFields
{
    /// <summary>One field of <c>limits:</c>.</summary>
    public sealed record Field(string Name, bool Sizes, bool ZeroAllowed, Func<HostLimits, long, HostLimits> Set);

    public static IReadOnlyList<Field> All { get; } =
    [
        new("maxFolderRequestsInFlight", false, true, (l, v) => l with { MaxFolderRequestsInFlight = checked((int)v) }),
        new("maxConnections", false, false, (l, v) => l with { MaxConnections = checked((int)v) }),
        new("firstByteMilliseconds", false, true, (l, v) => l with { FirstByteDelay = TimeSpan.FromMilliseconds(v) }),
        new("streamBytesPerSecond", true, false, (l, v) => l with { StreamBytesPerSecond = v }),
        new("connectionBytesPerSecond", true, false, (l, v) => l with { ConnectionBytesPerSecond = v }),
        new("totalBytesPerSecond", true, false, (l, v) => l with { TotalBytesPerSecond = v }),
        new("sessionIdleTimeoutSeconds", false, true, (l, v) => l with { SessionIdleTimeout = TimeSpan.FromSeconds(v) }),
    ];

    /// <summary>The names, for error messages.</summary>
    public static string Names => string.Join(", ", All.Select(f => f.Name));

    /// <summary>The field of that name, or null.</summary>
    public static Field? Find(string name) => All.FirstOrDefault(f => f.Name == name);

    /// <summary>The value parsed for that field, or null when it is not a number (or size) the field takes.</summary>
    public static long? Parse(Field field, string text) =>
        YamlFields.ParseSize(text, field.Sizes) is { } v && v <= (field.Sizes ? long.MaxValue : int.MaxValue) && (v > 0 || field.ZeroAllowed) ? v : null;
}
