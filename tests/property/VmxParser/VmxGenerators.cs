using System.Globalization;

using EsxiImport.VmxParser.Model;

using FsCheck;
using FsCheck.Fluent;

namespace EsxiImport.PropertyTests.VmxParser;

/// <summary>A disk slot the generator places in a .vmx.</summary>
internal sealed record GeneratedDisk(DiskBus Bus, int Controller, int Unit, string FileName);

/// <summary>A NIC the generator places in a .vmx: the MAC goes to the key its address type names.</summary>
internal sealed record GeneratedNic(int Index, string AddressType, string Mac, string Decoy);

/// <summary>
/// A .vmx as the generator means it, and the text it was rendered to: an encoding, random key
/// case, random whitespace around '=', CRLF or LF, comments and blank lines in between.
/// </summary>
internal sealed record GeneratedVmx(
    string Encoding,
    string DisplayName,
    string GuestOs,
    long MemoryMb,
    int NumCpus,
    string Firmware,
    IReadOnlyList<GeneratedDisk> Disks,
    IReadOnlyList<GeneratedNic> Nics,
    byte[] Bytes)
{
    public override string ToString() =>
        $"{Encoding}: {System.Text.Encoding.UTF8.GetString(Bytes)}";
}

internal static class VmxGenerators
{
    // Characters each encoding can hold, including those that must be escaped ("|, control
    // characters) and those that look like syntax (=, #, brackets).
    private const string Ascii = "abcXYZ019 _-.:=#[]()/\\\"|\t\n\r\u007f'";
    private static readonly Dictionary<string, string> Alphabets = new()
    {
        ["UTF-8"] = Ascii + "éü日本語€😀",
        ["windows-1252"] = Ascii + "éüßÆ€–",
        ["Shift_JIS"] = Ascii + "テスト表十ポ日本語",
    };

    public static Gen<string> TextIn(string alphabet, int maxLength) =>
        from length in Gen.Choose(0, maxLength)
        from parts in Gen.Elements(SplitGraphemes(alphabet)).ArrayOf(length)
        select string.Concat(parts);

    public static Gen<GeneratedVmx> Vmx() =>
        from encoding in Gen.Elements("UTF-8", "windows-1252", "Shift_JIS")
        from name in TextIn(Alphabets[encoding], 20)
        from guest in Gen.Elements("otherlinux-64", "windows2019srv-64", "debian12-64")
        from memory in Gen.Choose(1, 1 << 20)
        from cpus in Gen.Choose(1, 128)
        from firmware in Gen.Elements("efi", "bios")
        from disks in Disk(Alphabets[encoding]).ListOf(6)
        from nics in Nic().ListOf(4)
        from lineEnding in Gen.Elements("\n", "\r\n")
        from seed in Gen.Choose(0, int.MaxValue)
        let uniqueDisks = disks.DistinctBy(d => (d.Bus, d.Controller, d.Unit)).ToList()
        let uniqueNics = nics.DistinctBy(n => n.Index).ToList()
        select Render(encoding, name, guest, memory, cpus, firmware, uniqueDisks, uniqueNics, lineEnding, seed);

    private static Gen<GeneratedDisk> Disk(string alphabet) =>
        from bus in Gen.Elements(DiskBus.Scsi, DiskBus.Sata, DiskBus.Ide, DiskBus.Nvme)
        from controller in Gen.Choose(0, 3)
        from unit in Gen.Choose(0, 15)
        from file in TextIn(alphabet, 12)
        select new GeneratedDisk(bus, controller, unit, file + ".vmdk");

    private static Gen<GeneratedNic> Nic() =>
        from index in Gen.Choose(0, 9)
        from type in Gen.Elements("static", "generated", "vpx", "Static", "GENERATED", "Vpx")
        from mac in Gen.Choose(0, 0xFFFFFF)
        from decoy in Gen.Choose(0, 0xFFFFFF)
        select new GeneratedNic(index, type, Mac(mac), Mac(decoy));

    private static string Mac(int low) => "00:50:56:" + string.Join(':', new[] { low >> 16, (low >> 8) & 0xFF, low & 0xFF }.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));

    private static GeneratedVmx Render(
        string encoding, string name, string guest, long memory, int cpus, string firmware,
        List<GeneratedDisk> disks, List<GeneratedNic> nics, string lineEnding, int seed)
    {
        var random = new Random(seed);
        var lines = new List<(string Key, string Value)>
        {
            (".encoding", encoding),
            ("displayName", name),
            ("guestOS", guest),
            ("memSize", memory.ToString(CultureInfo.InvariantCulture)),
            ("numvcpus", cpus.ToString(CultureInfo.InvariantCulture)),
            ("firmware", firmware),
        };
        foreach (var d in disks)
        {
            var slot = $"{d.Bus.ToString().ToLowerInvariant()}{d.Controller}:{d.Unit}";
            lines.Add((slot + ".present", "TRUE"));
            lines.Add((slot + ".fileName", d.FileName));
            if (d.Bus == DiskBus.Scsi && d.Controller % 2 == 0)
            {
                lines.Add(($"scsi{d.Controller}.virtualDev", "pvscsi"));
            }
        }

        foreach (var n in nics)
        {
            var isStatic = n.AddressType.Equals("static", StringComparison.OrdinalIgnoreCase);
            lines.Add(($"ethernet{n.Index}.present", "TRUE"));
            lines.Add(($"ethernet{n.Index}.addressType", n.AddressType));
            lines.Add(($"ethernet{n.Index}.{(isStatic ? "address" : "generatedAddress")}", n.Mac));
            lines.Add(($"ethernet{n.Index}.{(isStatic ? "generatedAddress" : "address")}", n.Decoy));
        }

        // A controller's virtualDev is written once per disk on it; keep only distinct lines so
        // the only repeated keys are none (repeats have their own tests).
        var distinct = lines.DistinctBy(l => l.Key.ToLowerInvariant()).ToList();
        var sb = new System.Text.StringBuilder();
        foreach (var (key, value) in distinct)
        {
            if (random.Next(6) == 0)
            {
                sb.Append(random.Next(2) == 0 ? "# a comment = \"not an entry\"" : "   ").Append(lineEnding);
            }

            var cased = random.Next(3) switch
            {
                0 => key,
                1 => key.ToUpperInvariant(),
                _ => key.ToLowerInvariant(),
            };
            var ws = new[] { "", " ", "\t", "  " };
            var escaped = EsxiImport.VmxParser.Syntax.VmxWriter.EscapeValue(value);
            sb.Append(ws[random.Next(ws.Length)]).Append(cased).Append(ws[random.Next(ws.Length)]).Append('=')
                .Append(ws[random.Next(ws.Length)]).Append('"').Append(escaped).Append('"').Append(ws[random.Next(ws.Length)]).Append(lineEnding);
        }

        var bytes = EsxiImport.VmxParser.Syntax.TextEncodings.Find(encoding)!.GetBytes(sb.ToString());
        return new GeneratedVmx(encoding, name, guest, memory, cpus, firmware, disks, nics, bytes);
    }

    // Surrogate pairs stay together so no generated string holds a lone surrogate.
    private static string[] SplitGraphemes(string s)
    {
        var parts = new List<string>();
        for (var i = 0; i < s.Length; i++)
        {
            parts.Add(char.IsHighSurrogate(s[i]) ? s.Substring(i++, 2) : s[i].ToString());
        }

        return parts.ToArray();
    }
}
