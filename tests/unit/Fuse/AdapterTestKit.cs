using EsxiImport.Fuse.Connection;
using EsxiImport.Fuse.FileSystem;
using EsxiImport.Fuse.Protocol;
using EsxiImport.Fuse.Protocol.Requests;
using EsxiImport.Fuse.Protocol.Wire;

namespace EsxiImport.UnitTests.Fuse;

/// <summary>Drives a <see cref="ReadOnlyFileSystemAdapter{TNode, THandle}"/> with typed requests, for the adapter tests.</summary>
public static class AdapterTestKit
{
    /// <summary>A request header for <paramref name="op"/> on node <paramref name="node"/>.</summary>
    public static RequestHeader H(Opcode op, ulong node) => new(0, (uint)op, 2, node, 0, 0, 0);

    public static async Task<FuseReply> Ask(IFuseRequestHandler handler, FuseRequest request) =>
        await handler.HandleAsync(request, CancellationToken.None);

    /// <summary>An adapter over <paramref name="fs"/> with file "f" (node 2) looked up and opened.</summary>
    public static async Task<(ReadOnlyFileSystemAdapter<string, string> Adapter, ulong Fh)> OpenFile(IReadOnlyFileSystem<string, string> fs, FileSystemOptions? options = null)
    {
        var adapter = new ReadOnlyFileSystemAdapter<string, string>(fs, options);
        (await Ask(adapter, new LookupRequest(H(Opcode.Lookup, 1), "f"u8.ToArray()))).Should().BeOfType<EntryReply>();
        var open = (OpenReply)await Ask(adapter, new OpenRequest(H(Opcode.Open, 2), false, 0));
        return (adapter, open.Open.Fh);
    }
}
