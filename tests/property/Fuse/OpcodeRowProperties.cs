using System.Runtime.InteropServices;

using EsxiImport.Fuse.Connection;
using EsxiImport.Fuse.Protocol;
using EsxiImport.Fuse.Protocol.Requests;
using EsxiImport.Fuse.Protocol.Wire;

using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EsxiImport.PropertyTests.Fuse;

/// <summary>
/// Every row of the opcode table, with any header and any body bytes of its shape, parses into a
/// request of its own opcode, traces under its own name, reaches the file-system method that
/// answers its reply kind, and that answer (or an error) encodes into one frame for its unique.
/// </summary>
public sealed class OpcodeRowProperties
{
    private static readonly Gen<Case> Cases =
        from unique in Gen.Choose(0, int.MaxValue)
        from node in Gen.Choose(0, int.MaxValue)
        from ids in Gen.Choose(0, 65535).Three()
        from noise in Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf(256)
        from forgets in Gen.Choose(0, 4)
        select new Case((ulong)unique * 2, (ulong)node, (uint)ids.Item1, (uint)ids.Item2, (uint)ids.Item3, noise, forgets);

    [Property(MaxTest = 300)]
    public Property Every_row_round_trips_parse_handle_encode() => Prop.ForAll(Arb.From(Cases), c =>
    {
        foreach (var row in OpcodeTable.All)
        {
            RoundTrip(row, c);
        }
    });

    private static void RoundTrip(OpcodeInfo row, Case c)
    {
        var frame = Frame(row, c);
        var parsed = RequestParser.Parse(frame);
        parsed.Error.Should().BeNull(row.Name);
        var request = parsed.Request!;
        request.Header.Should().Be(new RequestHeader((uint)frame.Length, (uint)row.Opcode, c.Unique, c.Node, c.Uid, c.Gid, c.Pid), row.Name);
        WireTrace.Request(request).Should().StartWith($"<- {c.Unique} {row.Name} node={c.Node}").And.EndWith($" uid={c.Uid} gid={c.Gid} pid={c.Pid}");

        if (Expected(row.Opcode, request.Header, frame[InHeader.WireSize..]) is { } expected)
        {
            request.Should().BeEquivalentTo(expected, o => o.ComparingByMembers(expected.GetType()).RespectingRuntimeTypes(), row.Name);
        }

        if (row.Body == BodyKind.Ignored)
        {
            request.Should().BeOfType(row.Reply == ReplyKind.ReadOnlyError ? typeof(ModifyingRequest) : typeof(UnsupportedRequest), row.Name);
        }

        var reply = row.Reply switch
        {
            ReplyKind.ReadOnlyError => FuseReply.Error(Errno.EROFS),
            ReplyKind.NotImplemented => FuseReply.Error(Errno.ENOSYS),
            ReplyKind.Init => new InitReply(new InitOut { Major = 7, Minor = 38 }, 38),
            _ => row.Handle is { } handle ? handle(new Answerer(), request, CancellationToken.None).AsTask().Result : null,
        };
        if (!row.HasReply)
        {
            reply.Should().BeNull(row.Name);
            return;
        }

        reply.Should().NotBeNull(row.Name);
        FuseServer.Fits(request, reply!).Should().BeTrue(row.Name);
        Encoded(reply!, c.Unique).Should().Be(reply is ErrorReply e ? -e.Errno : 0, row.Name);
        Encoded(FuseReply.Error(Errno.EIO), c.Unique).Should().Be(-Errno.EIO, row.Name);
    }

    /// <summary>
    /// The request a body must parse into, read here independently of the table; null for INIT
    /// and BATCH_FORGET (their own unit tests) and for ignored bodies (checked by type).
    /// </summary>
    private static FuseRequest? Expected(Opcode op, RequestHeader h, byte[] body) => op switch
    {
        Opcode.Lookup => new LookupRequest(h, body[..^1]),
        Opcode.Forget => new ForgetRequest(h, [new ForgetOne { NodeId = h.NodeId, Nlookup = R<ForgetIn>(body).Nlookup }]),
        Opcode.Getattr => new GetattrRequest(h, (R<GetattrIn>(body).GetattrFlags & 1) != 0 ? R<GetattrIn>(body).Fh : null),
        Opcode.Open or Opcode.Opendir => new OpenRequest(h, op == Opcode.Opendir, R<OpenIn>(body).Flags),
        Opcode.Read => new ReadRequest(h, R<ReadIn>(body).Fh, R<ReadIn>(body).Offset, R<ReadIn>(body).Size),
        Opcode.Readdir or Opcode.Readdirplus => new ReaddirRequest(h, op == Opcode.Readdirplus, R<ReadIn>(body).Fh, R<ReadIn>(body).Offset, R<ReadIn>(body).Size),
        Opcode.Release or Opcode.Releasedir => new ReleaseRequest(h, op == Opcode.Releasedir, R<ReleaseIn>(body).Fh, R<ReleaseIn>(body).Flags),
        Opcode.Interrupt => new InterruptRequest(h, R<InterruptIn>(body).Unique),
        Opcode.Statfs => new StatfsRequest(h),
        Opcode.Destroy => new DestroyRequest(h),
        _ => null,
    };

    private static T R<T>(byte[] body)
        where T : struct => MemoryMarshal.Read<T>(body);

    /// <summary>Encodes <paramref name="reply"/>, checks the frame's length and unique, and returns its error field.</summary>
    private static int Encoded(FuseReply reply, ulong unique)
    {
        var bytes = ReplyEncoder.Encode(unique, reply).ToArray();
        var header = MemoryMarshal.Read<OutHeader>(bytes);
        header.Len.Should().Be((uint)bytes.Length);
        header.Unique.Should().Be(unique);
        return header.Error;
    }

    private static byte[] Frame(OpcodeInfo row, Case c)
    {
        var body = row.Body switch
        {
            BodyKind.Name => [.. c.Noise.Take(32).Select(b => b == 0 ? (byte)'x' : b), 0],
            BodyKind.BatchForget => [.. BitConverter.GetBytes((uint)c.Forgets), 0, 0, 0, 0, .. c.Noise.Take(c.Forgets * ForgetOne.WireSize)],
            BodyKind.Init => c.Noise.Take(InitIn.WireSize).ToArray(),
            BodyKind.Struct => c.Noise.Take(row.BodySize).ToArray(),
            _ => c.Noise.Take(c.Forgets * 3).ToArray(),
        };
        var frame = new byte[InHeader.WireSize + body.Length];
        var header = new InHeader { Len = (uint)frame.Length, Opcode = (uint)row.Opcode, Unique = c.Unique, NodeId = c.Node, Uid = c.Uid, Gid = c.Gid, Pid = c.Pid };
        MemoryMarshal.Write(frame, in header);
        body.CopyTo(frame.AsSpan(InHeader.WireSize));
        return frame;
    }

    private sealed record Case(ulong Unique, ulong Node, uint Uid, uint Gid, uint Pid, byte[] Noise, int Forgets);

    /// <summary>Answers every method with a reply of the kind its opcodes expect, sized to fit the request.</summary>
    private sealed class Answerer : IOpcodeHandlers
    {
        public ValueTask<FuseReply> LookupAsync(LookupRequest request, CancellationToken cancellationToken) => Of(new EntryReply(new EntryOut { NodeId = 2 }));

        public ValueTask<FuseReply> GetattrAsync(GetattrRequest request, CancellationToken cancellationToken) => Of(new AttrReply(default));

        public ValueTask<FuseReply> OpenAsync(OpenRequest request, CancellationToken cancellationToken) => Of(new OpenReply(new OpenOut { Fh = 1 }));

        public ValueTask<FuseReply> OpendirAsync(OpenRequest request, CancellationToken cancellationToken) => Of(new OpenReply(new OpenOut { Fh = 2 }));

        public ValueTask<FuseReply> ReadAsync(ReadRequest request, CancellationToken cancellationToken) =>
            Of(new DataReply(new byte[Math.Min(request.Size, 64)]));

        public ValueTask<FuseReply> ReaddirAsync(ReaddirRequest request, CancellationToken cancellationToken) =>
            Of(new DirectoryReply(ReadOnlyMemory<byte>.Empty, request.Plus, 0));

        public ValueTask<FuseReply> ReleaseAsync(ReleaseRequest request, CancellationToken cancellationToken) => Of(FuseReply.Empty);

        public ValueTask<FuseReply> ReleasedirAsync(ReleaseRequest request, CancellationToken cancellationToken) => Of(FuseReply.Empty);

        public ValueTask<FuseReply> StatfsAsync(StatfsRequest request, CancellationToken cancellationToken) => Of(new StatfsReply(default));

        public ValueTask<FuseReply> DestroyAsync(DestroyRequest request, CancellationToken cancellationToken) => Of(FuseReply.Empty);

        private static ValueTask<FuseReply> Of(FuseReply reply) => ValueTask.FromResult(reply);
    }
}
