using System.Runtime.CompilerServices;

using EsxiImport.Fuse.Protocol.Wire;

namespace EsxiImport.Fuse.Protocol;

public static partial class OpcodeTable
{
    private static readonly Opcode[] NoReply = [Opcode.Forget, Opcode.BatchForget, Opcode.Interrupt, Opcode.NotifyReply];

    /// <summary>Each wire struct's size as linux/fuse.h gives it and as the runtime lays it out.</summary>
    private static readonly (string Name, int Declared, int Actual)[] WireStructs =
    [
        Sizes<InHeader>(), Sizes<OutHeader>(), Sizes<FuseAttr>(), Sizes<EntryOut>(), Sizes<AttrOut>(), Sizes<InitIn>(),
        Sizes<InitOut>(), Sizes<OpenIn>(), Sizes<OpenOut>(), Sizes<ReadIn>(), Sizes<ReleaseIn>(), Sizes<GetattrIn>(),
        Sizes<ForgetIn>(), Sizes<BatchForgetIn>(), Sizes<ForgetOne>(), Sizes<InterruptIn>(), Sizes<Kstatfs>(), Sizes<DirentHeader>(),
    ];

    /// <summary>The contradictions in this table, empty when it is consistent (see <see cref="Problems(IReadOnlyList{OpcodeInfo})"/>).</summary>
    public static IReadOnlyList<string> Problems() => Problems(Rows);

    /// <summary>
    /// The contradictions in <paramref name="rows"/>, empty when they are consistent: every opcode
    /// has exactly one row, every row can parse, struct bodies have the size of their wire struct,
    /// exactly the four no-reply opcodes have no reply, exactly the opcodes a file system answers
    /// have a handler, and every wire struct has the size linux/fuse.h gives it.
    /// </summary>
    public static IReadOnlyList<string> Problems(IReadOnlyList<OpcodeInfo> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var problems = new List<string>();
        foreach (var op in Enum.GetValues<Opcode>())
        {
            var count = rows.Count(r => r.Opcode == op);
            if (count != 1)
            {
                problems.Add($"{op} has {count} rows");
            }
        }

        foreach (var row in rows)
        {
            problems.AddRange(ProblemsOf(row));
        }

        foreach (var (name, declared, actual) in WireStructs)
        {
            if (actual != declared)
            {
                problems.Add($"{name} is {actual} bytes, linux/fuse.h says {declared}");
            }
        }

        return problems;
    }

    /// <summary>Throws when <see cref="Problems()"/> finds any: a broken table is a programming error.</summary>
    public static void Validate()
    {
        var problems = Problems();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("FUSE opcode table is inconsistent: " + string.Join("; ", problems));
        }
    }

    private static IEnumerable<string> ProblemsOf(OpcodeInfo row)
    {
        if (row.Parse is null)
        {
            yield return $"{row.Name}: no body parser";
        }

        if ((row.Reply == ReplyKind.None) != NoReply.Contains(row.Opcode))
        {
            yield return $"{row.Name}: reply kind {row.Reply} contradicts the no-reply list";
        }

        if (row.AnsweredByFileSystem != row.Handle is not null)
        {
            yield return row.Handle is null
                ? $"{row.Name}: a {row.Reply} reply comes from the file system, but the row has no handler"
                : $"{row.Name}: the server answers it, but the row has a handler";
        }

        if (row.Body is BodyKind.None or BodyKind.Ignored && row.BodySize != 0)
        {
            yield return $"{row.Name}: a body of kind {row.Body} cannot have a size";
        }

        if ((row.Body is BodyKind.Struct or BodyKind.BatchForget) != row.StructSize is not null)
        {
            yield return $"{row.Name}: a body of kind {row.Body} {(row.StructSize is null ? "needs" : "cannot have")} a struct";
        }

        if (row.StructSize is { } structSize && structSize != row.BodySize)
        {
            yield return $"{row.Name}: body size {row.BodySize} but the struct has {structSize} bytes";
        }
    }

    private static (string Name, int Declared, int Actual) Sizes<T>()
        where T : unmanaged, IWireStruct => (typeof(T).Name, T.WireSize, Unsafe.SizeOf<T>());
}
