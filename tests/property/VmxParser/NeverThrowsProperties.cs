using System.Text;

using EsxiImport.Diagnostics;
using EsxiImport.VmxParser.Descriptor;
using EsxiImport.VmxParser.Manifest;
using EsxiImport.VmxParser.Model;
using EsxiImport.VmxParser.Paths;
using EsxiImport.VmxParser.Syntax;

using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EsxiImport.PropertyTests.VmxParser;

/// <summary>
/// Whatever bytes arrive — a truncated download, a binary file served under a .vmx name, a
/// corrupted manifest — the parsers fail only with <see cref="ToolError"/>, and the .vmx
/// reader does not fail at all. The bytes mix random noise with fragments of every grammar so
/// the parsers get past their first checks.
/// </summary>
public sealed class NeverThrowsProperties
{
    private static readonly string[] Fragments =
    [
        "KDMV", "COWD", "\n", "\r\n", "=", "\"", "|", "|22", "|C3|A9", "#", " ", "[", "]", "{", "}", ":", ",",
        ".encoding = \"Shift_JIS\"\n", ".encoding = \"windows-1252\"\n", ".encoding = \"bogus\"\n", "encoding=\"UTF-8\"\n",
        "createType=\"vmfs\"\n", "RW 10 VMFS \"x.vmdk\" 5\n", "RW 99999999999999999999 FLAT \"y\"\n", "ddb.a = \"b\"\n",
        "scsi0:0.fileName = ", "scsi0:0.present = \"TRUE\"\n", "memSize = \"4 GB\"\n", "ethernet0.addressType = \"static\"\n",
        "\"vms\"", "\"config\"", "\"datastores\"", "\"disks\"", "\"capacity\"", "null", "1", "-1", "1e400", "[{", "\"\\ud800\"",
    ];

    private static Gen<byte[]> Chunk() => Gen.Frequency(
        (3, Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf()),
        (5, Gen.Elements(Fragments).Select(Encoding.UTF8.GetBytes)),
        (1, Gen.Elements<byte[]>([0xFF], [0xEF, 0xBB, 0xBF], [0x00], [0x83, 0x7C])));

    private static Arbitrary<byte[]> Bytes() =>
        Arb.From(Chunk().ListOf().Select(chunks => chunks.SelectMany(c => c).ToArray()));

    [Property(MaxTest = 1000)]
    public Property Vmx_parsing_never_throws() =>
        Prop.ForAll(Bytes(), bytes =>
        {
            var config = VmConfig.Parse(bytes);
            _ = config.Warnings.Select(w => w.Text).ToList();
            _ = VmxDocument.Parse(bytes).ToText();
        });

    [Property(MaxTest = 1000)]
    public Property Vmdk_reading_fails_only_with_tool_error() =>
        Prop.ForAll(Bytes(), bytes => OnlyToolError(() =>
        {
            var file = VmdkReader.Read(bytes, "x.vmdk");
            _ = file.Descriptor?.Warnings.Select(w => w.Text).ToList();
            _ = (file.Descriptor?.CapacityBytes, file.Descriptor?.HasParent, file.Descriptor?.ParentFileNameHint);
        }));

    [Property(MaxTest = 1000)]
    public Property Kdmv_headers_with_any_fields_fail_only_with_tool_error() =>
        Prop.ForAll(Bytes(), bytes => OnlyToolError(() => VmdkReader.Read([.. "KDMV"u8, .. bytes], "k.vmdk")));

    [Property(MaxTest = 1000)]
    public Property Manifest_parsing_fails_only_with_tool_error() =>
        Prop.ForAll(Bytes(), bytes => OnlyToolError(() => ManifestJson.Parse(bytes, "m.json")));

    [Property(MaxTest = 1000)]
    public Property Datastore_paths_and_resolution_never_throw() =>
        Prop.ForAll(Bytes(), bytes =>
        {
            var text = Encoding.UTF8.GetString(bytes);
            _ = DatastorePath.TryParse(text, out _);
            var resolver = new DiskPathResolver(ManifestJson.Parse("{\"dc\": {\"datastores\": {\"ds\": \"/vmfs/volumes/u/\"}}}", "m"));
            _ = resolver.Resolve(text, new DatastoreLocation("dc", "ds", "vm/vm.vmx"), "scsi0:0", out var warning);
            _ = warning?.Text;
        });

    private static bool OnlyToolError(Action parse)
    {
        try
        {
            parse();
        }
        catch (ToolError e)
        {
            e.Kind.Should().Be(ErrorKind.InvalidInput);
        }

        return true;
    }
}
