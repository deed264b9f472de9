using System.Globalization;

using EsxiImport.Diagnostics;

namespace EsxiImport.EsxiFuse.Startup;

/// <summary>
/// The <c>-o</c> options, checked against the set the FUSE layer understands before anything is
/// mounted, so a typo fails early with its name instead of deep inside the mount call.
/// <see cref="Options"/> keeps the validated options in order for the mount step.
/// </summary>
public sealed record MountOptionList
{
    private static readonly HashSet<string> Flags = new(StringComparer.Ordinal)
    {
        "allow_other", "allow_root", "default_permissions", "auto_unmount", "ro",
        "dev", "nodev", "suid", "nosuid", "exec", "noexec", "atime", "noatime", "relatime",
        "sync", "async", "dirsync",
    };

    private static readonly HashSet<string> Valued = new(StringComparer.Ordinal) { "fsname", "subtype", "max_read" };

    public IReadOnlyList<string> Options { get; init; } = [];

    public bool AllowOther => Options.Contains("allow_other");

    public bool AllowRoot => Options.Contains("allow_root");

    public bool DefaultPermissions => Options.Contains("default_permissions");

    public bool AutoUnmount => Options.Contains("auto_unmount");

    public string? FsName => ValueOf("fsname");

    public string? Subtype => ValueOf("subtype");

    public int? MaxRead => ValueOf("max_read") is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : null;

    /// <summary>Validates every option; the first bad one is the error, named without a context of ours.</summary>
    public static MountOptionList Parse(IEnumerable<string> options) =>
        new() { Options = options.Select(Check).ToList() };

    private static string Check(string option)
    {
        var eq = option.IndexOf('=', StringComparison.Ordinal);
        var name = eq < 0 ? option : option[..eq];
        if (name == "rw")
        {
            throw ToolError.Of("esxi-folder-fuse.mount-options.read-write", ErrorKind.InvalidInput);
        }

        if (Flags.Contains(name))
        {
            return eq < 0 ? option : throw ToolError.Of("esxi-folder-fuse.mount-options.no-value", ErrorKind.InvalidInput, ("option", name));
        }

        if (!Valued.Contains(name))
        {
            throw ToolError.Of("esxi-folder-fuse.mount-options.unknown", ErrorKind.InvalidInput, ("option", option));
        }

        var value = eq < 0 ? string.Empty : option[(eq + 1)..];
        var ok = value.Length > 0 && (name != "max_read" || (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0));
        return ok ? option : throw ToolError.Of("esxi-folder-fuse.mount-options.needs-value", ErrorKind.InvalidInput, ("option", name));
    }

    private string? ValueOf(string name) =>
        Options.LastOrDefault(o => o.StartsWith(name + "=", StringComparison.Ordinal)) is { } o ? o[(name.Length + 1)..] : null;
}
