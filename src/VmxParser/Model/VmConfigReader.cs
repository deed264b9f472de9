using System.Globalization;
using System.Text.RegularExpressions;

using EsxiImport.VmxParser.Syntax;
using EsxiImport.VmxParser.Warnings;

namespace EsxiImport.VmxParser.Model;

/// <summary>
/// Builds a <see cref="VmConfig"/> from a <see cref="VmxDocument"/>. All key lookups go through
/// the document and therefore ignore case (FB-23, FB-24); nothing here throws on odd values.
/// </summary>
public static partial class VmConfigReader
{
    private const string MemSizeLenientMessageId = "vmx.model.memsize-lenient";
    private const string MemSizeInvalidMessageId = "vmx.model.memsize-invalid";
    private const string InvalidNumberMessageId = "vmx.model.invalid-number";
    private const string DuplicateDiskFileMessageId = "vmx.model.duplicate-disk-file";
    private const string NicWithoutMacMessageId = "vmx.model.nic-without-mac";

    [GeneratedRegex("^(?<bus>scsi|sata|ide|nvme)(?<c>[0-9]{1,4}):(?<u>[0-9]{1,4})\\.", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SlotKey();

    [GeneratedRegex("^ethernet(?<n>[0-9]{1,4})\\.", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EthernetKey();

    [GeneratedRegex("^serial(?<n>[0-9]{1,4})\\.", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SerialKey();

    [GeneratedRegex("^(?<n>[0-9]{1,12})\\s*(?<unit>mb|m|mib|gb|g|gib)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MemSizeWithUnit();

    /// <summary>Reads the model; the document's warnings come first in the result.</summary>
    public static VmConfig Read(VmxDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var warnings = new List<ParseWarning>(document.Warnings);
        var config = new VmConfig(
            document["displayName"],
            document["guestOS"],
            ReadMemory(document, warnings),
            document["firmware"],
            ReadInt(document, "numvcpus", warnings),
            ReadInt(document, "cpuid.coresPerSocket", warnings),
            document["uuid.bios"],
            ReadSlots(document, warnings),
            ReadNics(document, warnings),
            ReadSerialPorts(document),
            warnings);
        return config;
    }

    /// <summary>VMware's boolean spelling: TRUE/true/yes/1 are true, everything else false.</summary>
    public static bool IsTrue(string? value) =>
        value is not null && (value.Trim().Equals("true", StringComparison.OrdinalIgnoreCase)
            || value.Trim().Equals("yes", StringComparison.OrdinalIgnoreCase)
            || value.Trim() == "1");

    private static long? ReadMemory(VmxDocument doc, List<ParseWarning> warnings)
    {
        if (!doc.TryGetValue("memSize", out var raw))
        {
            return null;
        }

        var line = LineOf(doc, "memSize");
        var text = raw.Trim();
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var mb))
        {
            return mb;
        }

        var m = MemSizeWithUnit().Match(text);
        if (m.Success && long.TryParse(m.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            var gib = m.Groups["unit"].Value.StartsWith('g') || m.Groups["unit"].Value.StartsWith('G');
            var result = gib ? n * 1024 : n;
            warnings.Add(ParseWarning.Of(line, MemSizeLenientMessageId, ("value", raw), ("mb", result)));
            return result;
        }

        warnings.Add(ParseWarning.Of(line, MemSizeInvalidMessageId, ("value", raw)));
        return null;
    }

    private static int? ReadInt(VmxDocument doc, string key, List<ParseWarning> warnings)
    {
        if (!doc.TryGetValue(key, out var raw))
        {
            return null;
        }

        if (int.TryParse(raw.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        warnings.Add(ParseWarning.Of(LineOf(doc, key), InvalidNumberMessageId, ("key", doc.Occurrences(key)[^1].Key), ("value", raw)));
        return null;
    }

    private static List<DiskSlot> ReadSlots(VmxDocument doc, List<ParseWarning> warnings)
    {
        var seen = new SortedSet<(DiskBus Bus, int Controller, int Unit)>();
        foreach (var key in doc.Keys)
        {
            var m = SlotKey().Match(key);
            if (m.Success)
            {
                seen.Add((Enum.Parse<DiskBus>(m.Groups["bus"].Value, ignoreCase: true), int.Parse(m.Groups["c"].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups["u"].Value, CultureInfo.InvariantCulture)));
            }
        }

        var slots = new List<DiskSlot>();
        foreach (var (bus, controller, unit) in seen)
        {
            var prefix = $"{bus.ToString().ToLowerInvariant()}{controller}";
            var name = $"{prefix}:{unit}";
            var fileKey = name + ".fileName";
            var files = doc.Occurrences(fileKey);
            if (files.Count > 1)
            {
                // fileName and filename are one key for us; two of them are one disk, not two (FB-14).
                warnings.Add(ParseWarning.Of(files[^1].Number, DuplicateDiskFileMessageId, ("slot", name), ("line", files[^1].Number)));
            }

            slots.Add(new DiskSlot(
                bus,
                controller,
                unit,
                IsTrue(doc[name + ".present"]),
                doc[name + ".deviceType"],
                doc[fileKey],
                doc[prefix + ".virtualDev"]));
        }

        return slots;
    }

    private static List<NetworkAdapter> ReadNics(VmxDocument doc, List<ParseWarning> warnings)
    {
        var nics = new List<NetworkAdapter>();
        foreach (var index in Indexes(doc, EthernetKey()))
        {
            var p = $"ethernet{index}.";
            var addressType = doc[p + "addressType"];
            var macKey = addressType?.Trim().ToLowerInvariant() switch
            {
                "static" => "address",
                "generated" or "vpx" => "generatedAddress",
                _ => doc[p + "address"] is not null ? "address" : "generatedAddress",
            };
            var mac = doc[p + macKey];
            var present = IsTrue(doc[p + "present"]);
            if (mac is null && present && addressType is not null)
            {
                warnings.Add(ParseWarning.Of(LineOf(doc, p + "addressType"), NicWithoutMacMessageId, ("nic", $"ethernet{index}"), ("type", addressType), ("key", p + macKey)));
            }

            nics.Add(new NetworkAdapter(index, present, doc[p + "virtualDev"], doc[p + "networkName"], addressType, mac));
        }

        return nics;
    }

    private static List<SerialPort> ReadSerialPorts(VmxDocument doc) =>
        Indexes(doc, SerialKey())
            .Select(i => new SerialPort(i, IsTrue(doc[$"serial{i}.present"]), doc[$"serial{i}.fileType"], doc[$"serial{i}.fileName"]))
            .ToList();

    private static SortedSet<int> Indexes(VmxDocument doc, Regex pattern)
    {
        var result = new SortedSet<int>();
        foreach (var key in doc.Keys)
        {
            var m = pattern.Match(key);
            if (m.Success)
            {
                result.Add(int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture));
            }
        }

        return result;
    }

    private static int LineOf(VmxDocument doc, string key) => doc.Occurrences(key)[^1].Number;
}
