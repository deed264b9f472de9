using System.Text.Json.Nodes;

using EsxiImport.VmxParser.Descriptor;
using EsxiImport.VmxParser.Model;
using EsxiImport.VmxParser.Paths;
using EsxiImport.VmxParser.Syntax;
using EsxiImport.VmxParser.Warnings;

namespace EsxiImport.UnitTests.VmxParser;

/// <summary>
/// The JSON form of parser results that the fixtures under spec/vmx and spec/vmdk hold as the
/// expected output (described in spec/README.md). One projection, so a fixture reads the same
/// as the model it checks.
/// </summary>
internal static class FixtureJson
{
    public static JsonObject Of(VmxDocument doc, VmConfig config, IReadOnlyList<ResolvedDisk> disks, IReadOnlyList<ParseWarning> resolveWarnings) => new()
    {
        ["encoding"] = doc.EncodingName,
        ["displayName"] = config.DisplayName,
        ["guestOs"] = config.GuestOs,
        ["memoryMb"] = config.MemoryMb,
        ["firmware"] = config.Firmware,
        ["numCpus"] = config.NumCpus,
        ["coresPerSocket"] = config.CoresPerSocket,
        ["uuidBios"] = config.UuidBios,
        ["slots"] = new JsonArray(config.Slots.Select(s => (JsonNode)new JsonObject
        {
            ["name"] = s.Name,
            ["kind"] = s.Kind.ToString(),
            ["present"] = s.Present,
            ["deviceType"] = s.DeviceType,
            ["fileName"] = s.FileName,
            ["controllerVirtualDev"] = s.ControllerVirtualDev,
            ["resolved"] = disks.FirstOrDefault(d => d.Slot == s)?.Location?.ToString(),
        }).ToArray()),
        ["networkAdapters"] = new JsonArray(config.NetworkAdapters.Select(n => (JsonNode)new JsonObject
        {
            ["name"] = n.Name,
            ["present"] = n.Present,
            ["virtualDev"] = n.VirtualDev,
            ["networkName"] = n.NetworkName,
            ["addressType"] = n.AddressType,
            ["mac"] = n.MacAddress,
        }).ToArray()),
        ["serialPorts"] = new JsonArray(config.SerialPorts.Select(p => (JsonNode)new JsonObject
        {
            ["name"] = p.Name,
            ["present"] = p.Present,
            ["fileType"] = p.FileType,
            ["fileName"] = p.FileName,
        }).ToArray()),
        ["warnings"] = Warnings(config.Warnings.Concat(resolveWarnings)),
    };

    public static JsonObject Of(VmdkFile file) => new()
    {
        ["kind"] = file.Kind.ToString(),
        ["sparse"] = file.Sparse is { } h
            ? new JsonObject
            {
                ["version"] = h.Version,
                ["capacitySectors"] = h.CapacitySectors,
                ["grainSectors"] = h.GrainSectors,
                ["descriptorOffsetSectors"] = h.DescriptorOffsetSectors,
                ["descriptorSizeSectors"] = h.DescriptorSizeSectors,
            }
            : null,
        ["descriptor"] = file.Descriptor is { } d ? Of(d) : null,
    };

    public static JsonObject Of(VmdkDescriptor d) => new()
    {
        ["createType"] = d.CreateType,
        ["cid"] = d.Cid,
        ["parentCid"] = d.ParentCid,
        ["parentFileNameHint"] = d.ParentFileNameHint,
        ["hasParent"] = d.HasParent,
        ["capacityBytes"] = d.CapacityBytes,
        ["header"] = Pairs(d.Header),
        ["extents"] = new JsonArray(d.Extents.Select(e => (JsonNode)new JsonObject
        {
            ["access"] = e.Access,
            ["sectors"] = e.Sectors,
            ["type"] = e.Type,
            ["fileName"] = e.FileName,
            ["offset"] = e.Offset,
        }).ToArray()),
        ["ddb"] = Pairs(d.DiskDatabase),
        ["warnings"] = Warnings(d.Warnings),
    };

    private static JsonArray Pairs(IEnumerable<KeyValuePair<string, string>> pairs) =>
        new(pairs.Select(p => (JsonNode)new JsonArray(p.Key, p.Value)).ToArray());

    private static JsonArray Warnings(IEnumerable<ParseWarning> warnings) =>
        new(warnings.Select(w => (JsonNode)new JsonObject
        {
            ["line"] = w.Line,
            ["id"] = w.MessageId,
            ["text"] = w.Text,
        }).ToArray());
}
