using System.Runtime.InteropServices;

using EsxiImport.Fuse.Protocol.Wire;

namespace EsxiImport.Fuse.Protocol;

/// <summary>
/// Packs directory records into a READDIR (<c>fuse_dirent</c>) or READDIRPLUS
/// (<c>fuse_direntplus</c>) reply of at most the size the kernel asked for. Each record is padded
/// to 8 bytes; a record that would not fit is refused, and the caller stops there.
/// </summary>
public sealed class DirentWriter
{
    private readonly byte[] _buffer;
    private int _length;

    public DirentWriter(int capacity, bool plus)
    {
        _buffer = new byte[Math.Max(0, capacity)];
        Plus = plus;
    }

    public bool Plus { get; }

    public int Count { get; private set; }

    /// <summary>The padded size of a record for a name of <paramref name="nameLength"/> bytes.</summary>
    public static int RecordSize(int nameLength, bool plus) =>
        Align8((plus ? EntryOut.WireSize : 0) + DirentHeader.WireSize + nameLength);

    /// <summary>
    /// Appends one record. <paramref name="nextOffset"/> is the cookie that continues after this
    /// entry; <paramref name="entry"/> is used only in plus mode (NodeId 0 there means "no
    /// attributes, look it up yourself" and costs no lookup count).
    /// </summary>
    public bool TryAdd(ReadOnlySpan<byte> name, ulong ino, ulong nextOffset, uint type, in EntryOut entry)
    {
        var size = RecordSize(name.Length, Plus);
        if (_length + size > _buffer.Length)
        {
            return false;
        }

        var span = _buffer.AsSpan(_length, size);
        span.Clear();
        if (Plus)
        {
            MemoryMarshal.Write(span, in entry);
            span = span[EntryOut.WireSize..];
        }

        var dirent = new DirentHeader { Ino = ino, Off = nextOffset, Namelen = (uint)name.Length, Type = type };
        MemoryMarshal.Write(span, in dirent);
        name.CopyTo(span[DirentHeader.WireSize..]);
        _length += size;
        Count++;
        return true;
    }

    public DirectoryReply ToReply() => new(_buffer.AsMemory(0, _length), Plus, Count);

    private static int Align8(int n) => (n + 7) & ~7;
}
