using System.Runtime.InteropServices;
using System.Text;

using EsxiImport.Fuse.Protocol.Requests;
using EsxiImport.Fuse.Protocol.Wire;

namespace EsxiImport.Fuse.Protocol;

/// <summary>
/// One-line debug texts for requests and replies (developer traces, not user messages):
/// <c>&lt;- 14 LOOKUP node=1 name="vm" uid=0 pid=812</c> and <c>-&gt; 14 entry node=2 gen=0 ...</c>.
/// The opcode's name comes from its row; what follows, from the request or reply type.
/// </summary>
public static class WireTrace
{
    public static string Request(FuseRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var h = request.Header;
        return TraceText.Of($"<- {h.Unique} {OpcodeTable.NameOf(h.Opcode)} node={h.NodeId}{request.Describe()} uid={h.Uid} gid={h.Gid} pid={h.Pid}");
    }

    public static string ParseFailure(ParseError error) => "<- malformed: " + error;

    public static string Reply(ulong unique, FuseReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return TraceText.Of($"-> {unique} {reply.Describe()}");
    }

    internal static string Attr(FuseAttr a) =>
        TraceText.Of($"ino={a.Ino} mode=0{Convert.ToString(a.Mode, 8)} size={a.Size} nlink={a.Nlink}");

    internal static string Names(DirectoryReply d)
    {
        var names = new List<string>();
        var span = d.Records.Span;
        while (span.Length >= DirentHeader.WireSize + (d.Plus ? EntryOut.WireSize : 0))
        {
            var rec = d.Plus ? span[EntryOut.WireSize..] : span;
            var dirent = MemoryMarshal.Read<DirentHeader>(rec);
            var nameLength = (int)Math.Min(dirent.Namelen, (uint)(rec.Length - DirentHeader.WireSize));
            names.Add(TraceText.Quote(Encoding.UTF8.GetString(rec.Slice(DirentHeader.WireSize, nameLength))));
            var size = DirentWriter.RecordSize(nameLength, d.Plus);
            span = span[Math.Min(size, span.Length)..];
        }

        return "[" + string.Join(" ", names) + "]";
    }
}
