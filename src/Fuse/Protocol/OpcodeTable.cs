using System.Collections.Frozen;
using System.Runtime.CompilerServices;

using EsxiImport.Fuse.Protocol.Wire;

namespace EsxiImport.Fuse.Protocol;

/// <summary>How the parser reads an opcode's body.</summary>
public enum BodyKind
{
    /// <summary>No body.</summary>
    None,

    /// <summary>One fixed-size struct of <see cref="OpcodeInfo.BodySize"/> bytes.</summary>
    Struct,

    /// <summary>A NUL-terminated name.</summary>
    Name,

    /// <summary><c>fuse_batch_forget_in</c> followed by count <c>fuse_forget_one</c>.</summary>
    BatchForget,

    /// <summary><c>fuse_init_in</c>: 16 bytes before 7.36, 64 from then on.</summary>
    Init,

    /// <summary>Not read: the request is refused (EROFS) or unsupported (ENOSYS) whatever it says.</summary>
    Ignored,
}

/// <summary>What an opcode is answered with.</summary>
public enum ReplyKind
{
    /// <summary>Never answered (FORGET, BATCH_FORGET, INTERRUPT, NOTIFY_REPLY).</summary>
    None,

    /// <summary>A bare header with error 0 (RELEASE, DESTROY).</summary>
    Empty,
    Entry,
    Attr,
    Open,

    /// <summary>Raw file bytes.</summary>
    Data,

    /// <summary>Packed dirent or direntplus records.</summary>
    Directory,
    Statfs,
    Init,

    /// <summary>Always an error: EROFS for modifying opcodes.</summary>
    ReadOnlyError,

    /// <summary>Always an error: ENOSYS, not implemented.</summary>
    NotImplemented,
}

/// <summary>One row of the opcode table.</summary>
/// <param name="Opcode">The opcode.</param>
/// <param name="Name">The kernel's name without the <c>FUSE_</c> prefix, as traces print it.</param>
/// <param name="Body">How the body is read.</param>
/// <param name="BodySize">The minimum body size in bytes (the struct size for <see cref="BodyKind.Struct"/>).</param>
/// <param name="Reply">What the answer is.</param>
public sealed record OpcodeInfo(Opcode Opcode, string Name, BodyKind Body, int BodySize, ReplyKind Reply)
{
    public bool HasReply => Reply != ReplyKind.None;
}

/// <summary>
/// Every protocol fact about an opcode, in one row per opcode. <see cref="Validate"/> checks the
/// table against itself and against the wire struct sizes; the server calls it at start, so a
/// contradiction fails the first mount rather than a request under load.
/// </summary>
public static class OpcodeTable
{
    private static readonly OpcodeInfo[] Rows =
    [
        new(Opcode.Lookup, "LOOKUP", BodyKind.Name, 1, ReplyKind.Entry),
        new(Opcode.Forget, "FORGET", BodyKind.Struct, ForgetIn.WireSize, ReplyKind.None),
        new(Opcode.Getattr, "GETATTR", BodyKind.Struct, GetattrIn.WireSize, ReplyKind.Attr),
        new(Opcode.Setattr, "SETATTR", BodyKind.Ignored, 0, ReplyKind.ReadOnlyError),
        new(Opcode.Readlink, "READLINK", BodyKind.Ignored, 0, ReplyKind.NotImplemented),
        new(Opcode.Symlink, "SYMLINK", BodyKind.Ignored, 0, ReplyKind.ReadOnlyError),
        new(Opcode.Mknod, "MKNOD", BodyKind.Ignored, 0, ReplyKind.ReadOnlyError),
        new(Opcode.Mkdir, "MKDIR", BodyKind.Ignored, 0, ReplyKind.ReadOnlyError),
        new(Opcode.Unlink, "UNLINK", BodyKind.Ignored, 0, ReplyKind.ReadOnlyError),
        new(Opcode.Rmdir, "RMDIR", BodyKind.Ignored, 0, ReplyKind.ReadOnlyError),
        new(Opcode.Rename, "RENAME", BodyKind.Ignored, 0, ReplyKind.ReadOnlyError),
        new(Opcode.Link, "LINK", BodyKind.Ignored, 0, ReplyKind.ReadOnlyError),
        new(Opcode.Open, "OPEN", BodyKind.Struct, OpenIn.WireSize, ReplyKind.Open),
        new(Opcode.Read, "READ", BodyKind.Struct, ReadIn.WireSize, ReplyKind.Data),
        new(Opcode.Write, "WRITE", BodyKind.Ignored, 0, ReplyKind.ReadOnlyError),
        new(Opcode.Statfs, "STATFS", BodyKind.None, 0, ReplyKind.Statfs),
        new(Opcode.Release, "RELEASE", BodyKind.Struct, ReleaseIn.WireSize, ReplyKind.Empty),
        new(Opcode.Fsync, "FSYNC", BodyKind.Ignored, 0, ReplyKind.NotImplemented),
        new(Opcode.Setxattr, "SETXATTR", BodyKind.Ignored, 0, ReplyKind.ReadOnlyError),
        new(Opcode.Getxattr, "GETXATTR", BodyKind.Ignored, 0, ReplyKind.NotImplemented),
        new(Opcode.Listxattr, "LISTXATTR", BodyKind.Ignored, 0, ReplyKind.NotImplemented),
        new(Opcode.Removexattr, "REMOVEXATTR", BodyKind.Ignored, 0, ReplyKind.ReadOnlyError),
        new(Opcode.Flush, "FLUSH", BodyKind.Ignored, 0, ReplyKind.NotImplemented),
        new(Opcode.Init, "INIT", BodyKind.Init, ProtocolVersion.InitInCompatSize, ReplyKind.Init),
        new(Opcode.Opendir, "OPENDIR", BodyKind.Struct, OpenIn.WireSize, ReplyKind.Open),
        new(Opcode.Readdir, "READDIR", BodyKind.Struct, ReadIn.WireSize, ReplyKind.Directory),
        new(Opcode.Releasedir, "RELEASEDIR", BodyKind.Struct, ReleaseIn.WireSize, ReplyKind.Empty),
        new(Opcode.Fsyncdir, "FSYNCDIR", BodyKind.Ignored, 0, ReplyKind.NotImplemented),
        new(Opcode.Getlk, "GETLK", BodyKind.Ignored, 0, ReplyKind.NotImplemented),
        new(Opcode.Setlk, "SETLK", BodyKind.Ignored, 0, ReplyKind.NotImplemented),
        new(Opcode.Setlkw, "SETLKW", BodyKind.Ignored, 0, ReplyKind.NotImplemented),
        new(Opcode.Access, "ACCESS", BodyKind.Ignored, 0, ReplyKind.NotImplemented),
        new(Opcode.Create, "CREATE", BodyKind.Ignored, 0, ReplyKind.ReadOnlyError),
        new(Opcode.Interrupt, "INTERRUPT", BodyKind.Struct, InterruptIn.WireSize, ReplyKind.None),
        new(Opcode.Bmap, "BMAP", BodyKind.Ignored, 0, ReplyKind.NotImplemented),
        new(Opcode.Destroy, "DESTROY", BodyKind.None, 0, ReplyKind.Empty),
        new(Opcode.Ioctl, "IOCTL", BodyKind.Ignored, 0, ReplyKind.NotImplemented),
        new(Opcode.Poll, "POLL", BodyKind.Ignored, 0, ReplyKind.NotImplemented),
        new(Opcode.NotifyReply, "NOTIFY_REPLY", BodyKind.Ignored, 0, ReplyKind.None),
        new(Opcode.BatchForget, "BATCH_FORGET", BodyKind.BatchForget, BatchForgetIn.WireSize, ReplyKind.None),
        new(Opcode.Fallocate, "FALLOCATE", BodyKind.Ignored, 0, ReplyKind.ReadOnlyError),
        new(Opcode.Readdirplus, "READDIRPLUS", BodyKind.Struct, ReadIn.WireSize, ReplyKind.Directory),
        new(Opcode.Rename2, "RENAME2", BodyKind.Ignored, 0, ReplyKind.ReadOnlyError),
        new(Opcode.Lseek, "LSEEK", BodyKind.Ignored, 0, ReplyKind.NotImplemented),
        new(Opcode.CopyFileRange, "COPY_FILE_RANGE", BodyKind.Ignored, 0, ReplyKind.ReadOnlyError),
        new(Opcode.Setupmapping, "SETUPMAPPING", BodyKind.Ignored, 0, ReplyKind.NotImplemented),
        new(Opcode.Removemapping, "REMOVEMAPPING", BodyKind.Ignored, 0, ReplyKind.NotImplemented),
        new(Opcode.Syncfs, "SYNCFS", BodyKind.Ignored, 0, ReplyKind.NotImplemented),
        new(Opcode.Tmpfile, "TMPFILE", BodyKind.Ignored, 0, ReplyKind.ReadOnlyError),
        new(Opcode.Statx, "STATX", BodyKind.Ignored, 0, ReplyKind.NotImplemented),
    ];

    private static readonly FrozenDictionary<uint, OpcodeInfo> ByCode = Rows.ToFrozenDictionary(r => (uint)r.Opcode);

    /// <summary>The row of <paramref name="opcode"/>, or null for an opcode this table does not know.</summary>
    public static OpcodeInfo? Find(uint opcode) => ByCode.GetValueOrDefault(opcode);

    /// <summary>The trace name of an opcode, or its number when unknown.</summary>
    public static string NameOf(uint opcode) =>
        Find(opcode)?.Name ?? "OPCODE_" + opcode.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static IReadOnlyList<OpcodeInfo> All => Rows;

    /// <summary>
    /// The contradictions in the table, empty when it is consistent: every opcode has exactly one
    /// row, struct bodies have the size of their wire struct, exactly the four no-reply opcodes
    /// have no reply, and every wire struct has the size linux/fuse.h gives it.
    /// </summary>
    public static IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        foreach (var op in Enum.GetValues<Opcode>())
        {
            var count = Rows.Count(r => r.Opcode == op);
            if (count != 1)
            {
                problems.Add($"{op} has {count} rows");
            }
        }

        var noReply = new[] { Opcode.Forget, Opcode.BatchForget, Opcode.Interrupt, Opcode.NotifyReply };
        foreach (var row in Rows)
        {
            if ((row.Reply == ReplyKind.None) != noReply.Contains(row.Opcode))
            {
                problems.Add($"{row.Name}: reply kind {row.Reply} contradicts the no-reply list");
            }

            if (row.Body is BodyKind.None or BodyKind.Ignored && row.BodySize != 0)
            {
                problems.Add($"{row.Name}: a body of kind {row.Body} cannot have a size");
            }

            var structSize = row.Opcode switch
            {
                Opcode.Forget => Unsafe.SizeOf<ForgetIn>(),
                Opcode.Getattr => Unsafe.SizeOf<GetattrIn>(),
                Opcode.Open or Opcode.Opendir => Unsafe.SizeOf<OpenIn>(),
                Opcode.Read or Opcode.Readdir or Opcode.Readdirplus => Unsafe.SizeOf<ReadIn>(),
                Opcode.Release or Opcode.Releasedir => Unsafe.SizeOf<ReleaseIn>(),
                Opcode.Interrupt => Unsafe.SizeOf<InterruptIn>(),
                Opcode.BatchForget => Unsafe.SizeOf<BatchForgetIn>(),
                _ => row.BodySize,
            };
            if (structSize != row.BodySize)
            {
                problems.Add($"{row.Name}: body size {row.BodySize} but the struct has {structSize} bytes");
            }
        }

        Check(problems, Unsafe.SizeOf<InHeader>(), InHeader.WireSize, nameof(InHeader));
        Check(problems, Unsafe.SizeOf<OutHeader>(), OutHeader.WireSize, nameof(OutHeader));
        Check(problems, Unsafe.SizeOf<FuseAttr>(), FuseAttr.WireSize, nameof(FuseAttr));
        Check(problems, Unsafe.SizeOf<EntryOut>(), EntryOut.WireSize, nameof(EntryOut));
        Check(problems, Unsafe.SizeOf<AttrOut>(), AttrOut.WireSize, nameof(AttrOut));
        Check(problems, Unsafe.SizeOf<InitIn>(), InitIn.WireSize, nameof(InitIn));
        Check(problems, Unsafe.SizeOf<InitOut>(), InitOut.WireSize, nameof(InitOut));
        Check(problems, Unsafe.SizeOf<OpenIn>(), OpenIn.WireSize, nameof(OpenIn));
        Check(problems, Unsafe.SizeOf<OpenOut>(), OpenOut.WireSize, nameof(OpenOut));
        Check(problems, Unsafe.SizeOf<ReadIn>(), ReadIn.WireSize, nameof(ReadIn));
        Check(problems, Unsafe.SizeOf<ReleaseIn>(), ReleaseIn.WireSize, nameof(ReleaseIn));
        Check(problems, Unsafe.SizeOf<GetattrIn>(), GetattrIn.WireSize, nameof(GetattrIn));
        Check(problems, Unsafe.SizeOf<ForgetIn>(), ForgetIn.WireSize, nameof(ForgetIn));
        Check(problems, Unsafe.SizeOf<BatchForgetIn>(), BatchForgetIn.WireSize, nameof(BatchForgetIn));
        Check(problems, Unsafe.SizeOf<ForgetOne>(), ForgetOne.WireSize, nameof(ForgetOne));
        Check(problems, Unsafe.SizeOf<InterruptIn>(), InterruptIn.WireSize, nameof(InterruptIn));
        Check(problems, Unsafe.SizeOf<Kstatfs>(), Kstatfs.WireSize, nameof(Kstatfs));
        Check(problems, Unsafe.SizeOf<DirentHeader>(), DirentHeader.WireSize, nameof(DirentHeader));
        return problems;
    }

    /// <summary>Throws when <see cref="Problems"/> finds any: a broken table is a programming error.</summary>
    public static void Validate()
    {
        var problems = Problems();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("FUSE opcode table is inconsistent: " + string.Join("; ", problems));
        }
    }

    private static void Check(List<string> problems, int actual, int expected, string name)
    {
        if (actual != expected)
        {
            problems.Add($"{name} is {actual} bytes, linux/fuse.h says {expected}");
        }
    }
}
