namespace EsxiImport.Fuse.Connection;

/// <summary>How <see cref="FuseMount"/> mounts: the kernel's mount options plus what happens around mount(2).</summary>
public sealed record FuseMountOptions
{
    /// <summary>The source column of /proc/mounts, mount and df (libfuse's fsname).</summary>
    public string Source { get; init; } = "fuse";

    /// <summary>The file system type is <c>fuse.&lt;Subtype&gt;</c>, as mount shows it; null leaves it <c>fuse</c>.</summary>
    public string? Subtype { get; init; }

    /// <summary>The file system type mount(2) gets.</summary>
    public string FileSystemType => Subtype is { Length: > 0 } subtype ? "fuse." + subtype : "fuse";

    /// <summary>Let users other than <see cref="UserId"/> (root included) use the mount.</summary>
    public bool AllowOther { get; init; }

    /// <summary>Have the kernel check mode bits, so the file system need not.</summary>
    public bool DefaultPermissions { get; init; } = true;

    /// <summary>The kernel's max_read option; null leaves it out.</summary>
    public uint? MaxRead { get; init; }

    /// <summary>The owner recorded in the mount (user_id=); null is the effective uid. fusermount3 -u as that user may unmount it.</summary>
    public uint? UserId { get; init; }

    /// <summary>The group recorded in the mount (group_id=); null is the effective gid.</summary>
    public uint? GroupId { get; init; }

    /// <summary>MS_RDONLY: the VFS refuses writes with EROFS before they reach the daemon.</summary>
    public bool ReadOnly { get; init; } = true;

    /// <summary>Lazily unmount whatever is mounted at the mount point first (a stale ENOTCONN mount of a dead daemon).</summary>
    public bool DetachStaleMount { get; init; } = true;

    /// <summary>
    /// The mount's bdi read_ahead_kb, written after INIT; null keeps the kernel default (128). How
    /// far ahead is worth reading depends on the backend, so the file system's owner chooses.
    /// </summary>
    public int? ReadAheadKb { get; init; }

    /// <summary>
    /// Mount through fusermount3 (fd passing) instead of mount(2); null means "when not root".
    /// user_id/group_id are then the caller's, which is what lets it unmount with fusermount3 -u.
    /// </summary>
    public bool? UseFusermount { get; init; }

    /// <summary>How long to wait for the kernel's INIT after mount(2).</summary>
    public TimeSpan InitTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public FuseServerOptions Server { get; init; } = new();

    /// <summary>The data string for mount(2); fd, rootmode, user_id and group_id are required by the kernel.</summary>
    public string KernelData(int fd, uint uid, uint gid)
    {
        var parts = new List<string>
        {
            FormattableString.Invariant($"fd={fd}"),
            "rootmode=40000",
            FormattableString.Invariant($"user_id={UserId ?? uid}"),
            FormattableString.Invariant($"group_id={GroupId ?? gid}"),
        };
        if (AllowOther)
        {
            parts.Add("allow_other");
        }

        if (DefaultPermissions)
        {
            parts.Add("default_permissions");
        }

        if (MaxRead is { } maxRead)
        {
            parts.Add(FormattableString.Invariant($"max_read={maxRead}"));
        }

        return string.Join(',', parts);
    }
}
