using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

using EsxiImport.Fuse.Protocol.Requests;
using EsxiImport.Fuse.Protocol.Wire;

namespace EsxiImport.Fuse.Protocol;

/// <summary>
/// One-line debug texts for requests and replies (developer traces, not user messages):
/// <c>&lt;- 14 LOOKUP node=1 name="vm" uid=0 pid=812</c> and <c>-&gt; 14 entry node=2 gen=0 ...</c>.
/// </summary>
public static class WireTrace
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Request(FuseRequest request)
    {
        var h = request.Header;
        var head = string.Create(Inv, $"<- {h.Unique} {OpcodeTable.NameOf(h.Opcode)} node={h.NodeId}");
        var detail = request switch
        {
            LookupRequest r => $" name={Quote(r.Name)}",
            GetattrRequest r => r.FileHandle is { } fh ? $" fh={fh}" : string.Empty,
            OpenRequest r => $" flags=0x{r.Flags:x}",
            ReadRequest r => $" fh={r.FileHandle} offset={r.Offset} size={r.Size}",
            ReaddirRequest r => $" fh={r.FileHandle} cookie={r.Offset} size={r.Size}",
            ReleaseRequest r => $" fh={r.FileHandle} flags=0x{r.Flags:x}",
            InitRequest r => $" kernel={r.Major}.{r.Minor} max_readahead={r.MaxReadahead} flags=0x{(ulong)r.Flags:x}",
            ForgetRequest r => " " + string.Join(",", r.Items.Select(i => string.Create(Inv, $"{i.NodeId}-{i.Nlookup}"))),
            InterruptRequest r => $" target={r.TargetUnique}",
            _ => string.Empty,
        };
        return head + string.Create(Inv, $"{detail} uid={h.Uid} gid={h.Gid} pid={h.Pid}");
    }

    public static string ParseFailure(ParseError error) => "<- malformed: " + error;

    public static string Reply(ulong unique, FuseReply reply)
    {
        var body = reply switch
        {
            ErrorReply e => "error " + Errno.Name(e.Errno),
            EmptyReply => "ok",
            EntryReply e => $"entry node={e.Entry.NodeId} gen={e.Entry.Generation} valid={e.Entry.EntryValid}s {Attr(e.Entry.Attr)}",
            AttrReply a => $"attr valid={a.Attr.AttrValid}s {Attr(a.Attr.Attr)}",
            OpenReply o => $"open fh={o.Open.Fh} flags={(OpenReplyFlags)o.Open.OpenFlags}",
            StatfsReply s => $"statfs blocks={s.Statfs.Blocks} bsize={s.Statfs.Bsize} files={s.Statfs.Files} namelen={s.Statfs.Namelen}",
            InitReply i => $"init {i.Init.Major}.{i.Init.Minor} flags=0x{i.Init.Flags:x} flags2=0x{i.Init.Flags2:x} max_readahead={i.Init.MaxReadahead} max_background={i.Init.MaxBackground} max_pages={i.Init.MaxPages} max_write={i.Init.MaxWrite}",
            DataReply d => $"data {d.Data.Length} bytes",
            DirectoryReply d => $"{(d.Plus ? "direntplus" : "dirent")} {d.Count} entries {Names(d)}",
            _ => reply.GetType().Name,
        };
        return string.Create(Inv, $"-> {unique} {body}");
    }

    private static string Attr(FuseAttr a) =>
        string.Create(Inv, $"ino={a.Ino} mode=0{Convert.ToString(a.Mode, 8)} size={a.Size} nlink={a.Nlink}");

    private static string Names(DirectoryReply d)
    {
        var names = new List<string>();
        var span = d.Records.Span;
        while (span.Length >= DirentHeader.WireSize + (d.Plus ? EntryOut.WireSize : 0))
        {
            var rec = d.Plus ? span[EntryOut.WireSize..] : span;
            var dirent = MemoryMarshal.Read<DirentHeader>(rec);
            var nameLength = (int)Math.Min(dirent.Namelen, (uint)(rec.Length - DirentHeader.WireSize));
            names.Add(Quote(Encoding.UTF8.GetString(rec.Slice(DirentHeader.WireSize, nameLength))));
            var size = DirentWriter.RecordSize(nameLength, d.Plus);
            span = span[Math.Min(size, span.Length)..];
        }

        return "[" + string.Join(" ", names) + "]";
    }

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
