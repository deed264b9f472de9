using EsxiImport.Fuse.Protocol.Wire;

namespace EsxiImport.Fuse.FileSystem;

/// <summary>Turns <see cref="FsAttributes"/> and timeouts into the wire structs of the adapter's replies, in this one place.</summary>
internal static class WireAttributes
{
    /// <summary>The entry of a found node, valid for the options' entry and attribute timeouts.</summary>
    public static EntryOut Entry(ulong ino, ulong generation, FsAttributes attributes, FileSystemOptions options)
    {
        var (entrySeconds, entryNanos) = Split(options.EntryTimeout);
        var attr = Attr(ino, attributes, options);
        return new EntryOut
        {
            NodeId = ino,
            Generation = generation,
            EntryValid = entrySeconds,
            EntryValidNsec = entryNanos,
            AttrValid = attr.AttrValid,
            AttrValidNsec = attr.AttrValidNsec,
            Attr = attr.Attr,
        };
    }

    /// <summary>The entry that says "no such name" (node 0), cached for the options' negative timeout.</summary>
    public static EntryOut NegativeEntry(FileSystemOptions options)
    {
        var (seconds, nanos) = Split(options.NegativeEntryTimeout);
        return new EntryOut { EntryValid = seconds, EntryValidNsec = nanos };
    }

    /// <summary>The attributes of a node, valid for the options' attribute timeout.</summary>
    public static AttrOut Attr(ulong ino, FsAttributes attributes, FileSystemOptions options)
    {
        var (seconds, nanos) = Split(options.AttributeTimeout);
        return new AttrOut { AttrValid = seconds, AttrValidNsec = nanos, Attr = ToWire(ino, attributes) };
    }

    private const uint DirectoryType = 0x4000;
    private const uint RegularType = 0x8000;

    public static uint DirentType(FsNodeKind kind) => kind == FsNodeKind.Directory ? 4u : 8u;

    public static FuseAttr ToWire(ulong ino, FsAttributes a)
    {
        var size = (ulong)Math.Max(0, a.Size);
        var (mtime, mnsec) = Split(a.ModifiedTime);
        var (atime, ansec) = Split(a.AccessTime ?? a.ModifiedTime);
        var (ctime, cnsec) = Split(a.ChangeTime ?? a.ModifiedTime);
        return new FuseAttr
        {
            Ino = ino,
            Size = size,
            Blocks = (size + 511) / 512,
            Atime = atime,
            Mtime = mtime,
            Ctime = ctime,
            AtimeNsec = ansec,
            MtimeNsec = mnsec,
            CtimeNsec = cnsec,
            Mode = (a.Kind == FsNodeKind.Directory ? DirectoryType : RegularType) | (a.Permissions & 0xFFF),
            Nlink = a.LinkCount != 0 ? a.LinkCount : a.Kind == FsNodeKind.Directory ? 2u : 1u,
            Uid = a.Uid,
            Gid = a.Gid,
            Blksize = a.BlockSize,
        };
    }

    public static (ulong Seconds, uint Nanoseconds) Split(TimeSpan t)
    {
        if (t <= TimeSpan.Zero)
        {
            return (0, 0);
        }

        var ticks = t.Ticks;
        return ((ulong)(ticks / TimeSpan.TicksPerSecond), (uint)(ticks % TimeSpan.TicksPerSecond * 100));
    }

    private static (ulong Seconds, uint Nanoseconds) Split(DateTimeOffset t)
    {
        var ticks = Math.Max(0, t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks);
        return ((ulong)(ticks / TimeSpan.TicksPerSecond), (uint)(ticks % TimeSpan.TicksPerSecond * 100));
    }
}
