using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

using EsxiImport.Fuse.Protocol.Requests;
using EsxiImport.Fuse.Protocol.Wire;

namespace EsxiImport.Fuse.Protocol;

/// <summary>
/// Every protocol fact about an opcode, in one row per opcode: its name, how its body is read
/// and into what, what answers it and which file-system method gives that answer. The parser,
/// the server and the handler base read the rows; nothing else restates them. <see cref="Validate"/>
/// checks the table against itself and against the wire struct sizes; the server calls it at
/// start, so a contradiction fails the first mount rather than a request under load.
/// </summary>
public static partial class OpcodeTable
{
    private static readonly OpcodeInfo[] Rows =
    [
        // Read by the layer, answered by the file system's method or (INIT, FORGET, INTERRUPT) by the server.
        Row(Opcode.Lookup, "LOOKUP", BodyKind.Name, 1, ReplyKind.Entry, RequestParser.ParseLookup).HandledBy<LookupRequest>((fs, r, c) => fs.LookupAsync(r, c)),
        Struct<ForgetIn>(Opcode.Forget, "FORGET", ReplyKind.None, (h, b) => new ForgetRequest(h, [new ForgetOne { NodeId = h.NodeId, Nlookup = b.Nlookup }])),
        Struct<GetattrIn>(Opcode.Getattr, "GETATTR", ReplyKind.Attr, RequestParser.ParseGetattr).HandledBy<GetattrRequest>((fs, r, c) => fs.GetattrAsync(r, c)),
        Struct<OpenIn>(Opcode.Open, "OPEN", ReplyKind.Open, (h, b) => new OpenRequest(h, false, b.Flags)).HandledBy<OpenRequest>((fs, r, c) => fs.OpenAsync(r, c)),
        Struct<ReadIn>(Opcode.Read, "READ", ReplyKind.Data, (h, b) => new ReadRequest(h, b.Fh, b.Offset, b.Size)).HandledBy<ReadRequest>((fs, r, c) => fs.ReadAsync(r, c)),
        Row(Opcode.Statfs, "STATFS", BodyKind.None, 0, ReplyKind.Statfs, (h, _) => new StatfsRequest(h)).HandledBy<StatfsRequest>((fs, r, c) => fs.StatfsAsync(r, c)),
        Struct<ReleaseIn>(Opcode.Release, "RELEASE", ReplyKind.Empty, (h, b) => new ReleaseRequest(h, false, b.Fh, b.Flags)).HandledBy<ReleaseRequest>((fs, r, c) => fs.ReleaseAsync(r, c)),
        Row(Opcode.Init, "INIT", BodyKind.Init, ProtocolVersion.InitInCompatSize, ReplyKind.Init, RequestParser.ParseInit),
        Struct<OpenIn>(Opcode.Opendir, "OPENDIR", ReplyKind.Open, (h, b) => new OpenRequest(h, true, b.Flags)).HandledBy<OpenRequest>((fs, r, c) => fs.OpendirAsync(r, c)),
        Struct<ReadIn>(Opcode.Readdir, "READDIR", ReplyKind.Directory, (h, b) => new ReaddirRequest(h, false, b.Fh, b.Offset, b.Size)).HandledBy<ReaddirRequest>((fs, r, c) => fs.ReaddirAsync(r, c)),
        Struct<ReleaseIn>(Opcode.Releasedir, "RELEASEDIR", ReplyKind.Empty, (h, b) => new ReleaseRequest(h, true, b.Fh, b.Flags)).HandledBy<ReleaseRequest>((fs, r, c) => fs.ReleasedirAsync(r, c)),
        Struct<InterruptIn>(Opcode.Interrupt, "INTERRUPT", ReplyKind.None, (h, b) => new InterruptRequest(h, b.Unique)),
        Row(Opcode.Destroy, "DESTROY", BodyKind.None, 0, ReplyKind.Empty, (h, _) => new DestroyRequest(h)).HandledBy<DestroyRequest>((fs, r, c) => fs.DestroyAsync(r, c)),
        Row(Opcode.BatchForget, "BATCH_FORGET", BodyKind.BatchForget, BatchForgetIn.WireSize, ReplyKind.None, RequestParser.ParseBatchForget) with { StructSize = Unsafe.SizeOf<BatchForgetIn>() },
        Struct<ReadIn>(Opcode.Readdirplus, "READDIRPLUS", ReplyKind.Directory, (h, b) => new ReaddirRequest(h, true, b.Fh, b.Offset, b.Size)).HandledBy<ReaddirRequest>((fs, r, c) => fs.ReaddirAsync(r, c)),

        // Modifying: refused with EROFS, whatever they say.
        .. Refused(
            (Opcode.Setattr, "SETATTR"), (Opcode.Symlink, "SYMLINK"), (Opcode.Mknod, "MKNOD"), (Opcode.Mkdir, "MKDIR"),
            (Opcode.Unlink, "UNLINK"), (Opcode.Rmdir, "RMDIR"), (Opcode.Rename, "RENAME"), (Opcode.Link, "LINK"), (Opcode.Write, "WRITE"),
            (Opcode.Setxattr, "SETXATTR"), (Opcode.Removexattr, "REMOVEXATTR"), (Opcode.Create, "CREATE"), (Opcode.Fallocate, "FALLOCATE"),
            (Opcode.Rename2, "RENAME2"), (Opcode.CopyFileRange, "COPY_FILE_RANGE"), (Opcode.Tmpfile, "TMPFILE")),

        // Not implemented: ENOSYS, which the kernel remembers per connection for most of them.
        .. Unsupported(
            ReplyKind.NotImplemented,
            (Opcode.Readlink, "READLINK"), (Opcode.Fsync, "FSYNC"), (Opcode.Getxattr, "GETXATTR"), (Opcode.Listxattr, "LISTXATTR"),
            (Opcode.Flush, "FLUSH"), (Opcode.Fsyncdir, "FSYNCDIR"), (Opcode.Getlk, "GETLK"), (Opcode.Setlk, "SETLK"), (Opcode.Setlkw, "SETLKW"),
            (Opcode.Access, "ACCESS"), (Opcode.Bmap, "BMAP"), (Opcode.Ioctl, "IOCTL"), (Opcode.Poll, "POLL"), (Opcode.Lseek, "LSEEK"),
            (Opcode.Setupmapping, "SETUPMAPPING"), (Opcode.Removemapping, "REMOVEMAPPING"), (Opcode.Syncfs, "SYNCFS"), (Opcode.Statx, "STATX")),
        .. Unsupported(ReplyKind.None, (Opcode.NotifyReply, "NOTIFY_REPLY")),
    ];

    private static readonly FrozenDictionary<uint, OpcodeInfo> ByCode = Rows.ToFrozenDictionary(r => (uint)r.Opcode);

    /// <summary>The row of <paramref name="opcode"/>, or null for an opcode this table does not know.</summary>
    public static OpcodeInfo? Find(uint opcode) => ByCode.GetValueOrDefault(opcode);

    /// <summary>The trace name of an opcode, or its number when unknown.</summary>
    public static string NameOf(uint opcode) =>
        Find(opcode)?.Name ?? "OPCODE_" + opcode.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static IReadOnlyList<OpcodeInfo> All => Rows;

    private static OpcodeInfo Row(Opcode opcode, string name, BodyKind body, int size, ReplyKind reply, BodyParser parse) =>
        new(opcode, name, body, size, reply, parse);

    /// <summary>A row whose body is one <typeparamref name="TBody"/>, handed to <paramref name="parse"/> already read.</summary>
    private static OpcodeInfo Struct<TBody>(Opcode opcode, string name, ReplyKind reply, Func<RequestHeader, TBody, FuseRequest> parse)
        where TBody : unmanaged, IWireStruct =>
        new(opcode, name, BodyKind.Struct, TBody.WireSize, reply, (header, body) => parse(header, MemoryMarshal.Read<TBody>(body)))
        {
            StructSize = Unsafe.SizeOf<TBody>(),
        };

    /// <summary>Modifying opcodes: the body is not read, the answer is EROFS.</summary>
    private static IEnumerable<OpcodeInfo> Refused(params (Opcode Opcode, string Name)[] opcodes) =>
        opcodes.Select(o => Row(o.Opcode, o.Name, BodyKind.Ignored, 0, ReplyKind.ReadOnlyError, static (header, _) => new ModifyingRequest(header)));

    /// <summary>Opcodes this layer does not implement: the body is not read, the answer (if any) is ENOSYS.</summary>
    private static IEnumerable<OpcodeInfo> Unsupported(ReplyKind reply, params (Opcode Opcode, string Name)[] opcodes) =>
        opcodes.Select(o => Row(o.Opcode, o.Name, BodyKind.Ignored, 0, reply, static (header, _) => new UnsupportedRequest(header)));
}
