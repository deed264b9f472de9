using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;

using EsxiImport.Diagnostics;
using EsxiImport.VmxParser.Syntax;
using EsxiImport.VmxParser.Warnings;

namespace EsxiImport.VmxParser.Descriptor;

/// <summary>
/// Classifies and parses .vmdk bytes: binary sparse extents are recognised by their magic
/// (<c>KDMV</c>, <c>COWD</c>) and reported as such; anything else is read as a text descriptor.
/// Only <see cref="ToolError"/> leaves this class, whatever the bytes.
/// </summary>
public static partial class VmdkReader
{
    private const string NotDescriptorLineMessageId = "vmdk.descriptor.not-descriptor-line";
    private const string BadExtentMessageId = "vmdk.descriptor.bad-extent";
    private const string UnknownEncodingMessageId = "vmx.text.unknown-encoding";
    private const int SectorSize = 512;

    [GeneratedRegex("^(?<access>RW|RDONLY|NOACCESS)\\s+(?<sectors>[0-9]+)\\s+(?<type>[A-Za-z0-9_]+)(?:\\s+\"(?<file>.*)\"(?:\\s+(?<offset>[0-9]+))?)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExtentLine();

    [GeneratedRegex("^(?:RW|RDONLY|NOACCESS)\\s", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LooksLikeExtent();

    [GeneratedRegex("^(?<key>[A-Za-z0-9_.]+)\\s*=\\s*(?<value>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyValueLine();

    /// <summary>
    /// Reads a .vmdk named <paramref name="fileName"/> (used in messages only). For a KDMV file
    /// the bytes may be just the start of the file; the embedded descriptor is parsed when the
    /// given bytes cover it.
    /// </summary>
    public static VmdkFile Read(ReadOnlySpan<byte> bytes, string fileName)
    {
        if (bytes.StartsWith("KDMV"u8))
        {
            return ReadKdmv(bytes, fileName);
        }

        if (bytes.StartsWith("COWD"u8))
        {
            if (bytes.Length < 20)
            {
                throw ToolError.Of("vmdk.sparse.truncated-header", ErrorKind.InvalidInput, ("file", fileName), ("magic", "COWD"));
            }

            var header = new SparseHeader(
                BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]),
                BinaryPrimitives.ReadUInt32LittleEndian(bytes[12..]),
                BinaryPrimitives.ReadUInt32LittleEndian(bytes[16..]),
                0,
                0);
            return new VmdkFile(VmdkFileKind.SparseCowd, null, header);
        }

        return new VmdkFile(VmdkFileKind.Descriptor, ParseDescriptor(bytes, fileName), null);
    }

    /// <summary>
    /// Parses a text descriptor. Unreadable lines become warnings; text with neither a
    /// <c>createType</c> nor an extent is not a descriptor and fails with
    /// <see cref="ErrorKind.InvalidInput"/>.
    /// </summary>
    public static VmdkDescriptor ParseDescriptor(ReadOnlySpan<byte> bytes, string fileName)
    {
        bytes = TextEncodings.WithoutBom(bytes);
        var warnings = new List<ParseWarning>();
        var encoding = TextEncodings.Utf8;
        if (TextEncodings.Sniff(bytes, "encoding") is var (name, line))
        {
            if (TextEncodings.Find(name) is { } found)
            {
                encoding = found;
            }
            else
            {
                warnings.Add(ParseWarning.Of(line, UnknownEncodingMessageId, ("line", line), ("encoding", name)));
            }
        }

        return ParseDescriptor(encoding.GetString(bytes), fileName, warnings);
    }

    /// <summary>Parses descriptor text that is already decoded.</summary>
    public static VmdkDescriptor ParseDescriptor(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ParseDescriptor(text, fileName, []);
    }

    private static VmdkDescriptor ParseDescriptor(string text, string fileName, List<ParseWarning> warnings)
    {
        var header = new List<KeyValuePair<string, string>>();
        var ddb = new List<KeyValuePair<string, string>>();
        var extents = new List<VmdkExtent>();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#' || line[0] == '\0')
            {
                continue;
            }

            if (LooksLikeExtent().IsMatch(line))
            {
                if (ReadExtent(line) is { } extent)
                {
                    extents.Add(extent);
                }
                else
                {
                    warnings.Add(ParseWarning.Of(number, BadExtentMessageId, ("line", number), ("text", Shorten(line))));
                }

                continue;
            }

            var kv = KeyValueLine().Match(line);
            if (!kv.Success)
            {
                warnings.Add(ParseWarning.Of(number, NotDescriptorLineMessageId, ("line", number), ("text", Shorten(line))));
                continue;
            }

            var key = kv.Groups["key"].Value;
            var entry = new KeyValuePair<string, string>(key, Unquote(kv.Groups["value"].Value));
            (key.StartsWith("ddb.", StringComparison.OrdinalIgnoreCase) ? ddb : header).Add(entry);
        }

        var descriptor = new VmdkDescriptor(header, extents, ddb, warnings);
        if (descriptor.CreateType is null && extents.Count == 0)
        {
            throw ToolError.Of("vmdk.descriptor.not-a-descriptor", ErrorKind.InvalidInput, ("file", fileName));
        }

        return descriptor;
    }

    private static VmdkExtent? ReadExtent(string line)
    {
        var m = ExtentLine().Match(line);
        if (!m.Success || !long.TryParse(m.Groups["sectors"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var sectors))
        {
            return null;
        }

        long? offset = null;
        if (m.Groups["offset"].Success)
        {
            if (!long.TryParse(m.Groups["offset"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var o))
            {
                return null;
            }

            offset = o;
        }

        return new VmdkExtent(
            m.Groups["access"].Value.ToUpperInvariant(),
            sectors,
            m.Groups["type"].Value.ToUpperInvariant(),
            m.Groups["file"].Success ? m.Groups["file"].Value : null,
            offset);
    }

    // A quoted value runs to the last quote on the line: file names may contain quotes.
    private static string Unquote(string value)
    {
        var v = value.Trim();
        return v.Length >= 2 && v[0] == '"' && v[^1] == '"' ? v[1..^1] : v;
    }

    private static VmdkFile ReadKdmv(ReadOnlySpan<byte> bytes, string fileName)
    {
        if (bytes.Length < 44)
        {
            throw ToolError.Of("vmdk.sparse.truncated-header", ErrorKind.InvalidInput, ("file", fileName), ("magic", "KDMV"));
        }

        var header = new SparseHeader(
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[12..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[20..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[28..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[36..]));
        VmdkDescriptor? embedded = null;
        var available = (ulong)bytes.Length / SectorSize;
        if (header.DescriptorOffsetSectors > 0 && header.DescriptorSizeSectors > 0
            && header.DescriptorOffsetSectors < available)
        {
            var start = (int)header.DescriptorOffsetSectors * SectorSize;
            var length = (int)Math.Min(header.DescriptorSizeSectors, available - header.DescriptorOffsetSectors) * SectorSize;
            var area = bytes.Slice(start, length);
            var nul = area.IndexOf((byte)0);
            area = nul >= 0 ? area[..nul] : area;
            try
            {
                embedded = ParseDescriptor(area, fileName);
            }
            catch (ToolError)
            {
                // The area holds no descriptor text: the file is still a sparse extent, just without one.
                embedded = null;
            }
        }

        return new VmdkFile(VmdkFileKind.SparseKdmv, embedded, header);
    }

    private static string Shorten(string line) => line.Length <= 60 ? line : line[..60] + "…";
}
