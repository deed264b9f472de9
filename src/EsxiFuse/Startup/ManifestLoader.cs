using System.Text;
using System.Text.Json;

using EsxiImport.Diagnostics;
using EsxiImport.VmxParser.Manifest;

namespace EsxiImport.EsxiFuse.Startup;

/// <summary>
/// Reads and validates the manifest file, adding the two contexts upstream uses
/// (<c>failed to read manifest</c>, <c>failed to parse manifest</c>) so the syslog chain says which
/// of the two went wrong and where in the JSON (FB-46).
/// The JSON reading below is an interim one until the shared parser
/// (<c>EsxiImport.VmxParser.Manifest.ManifestJson.Parse(text, fileName)</c>) is merged; it is kept
/// in <see cref="ParseJson"/> alone so the swap is one line.
/// </summary>
public static class ManifestLoader
{
    public static Manifest Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, new UTF8Encoding(false, true));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ToolError.Wrap(OsError.Of(OsError.ErrnoOf(e, path)), "esxi-folder-fuse.manifest.read");
        }
        catch (DecoderFallbackException e)
        {
            throw ToolError.Wrap(e, "esxi-folder-fuse.manifest.parse", ErrorKind.InvalidInput);
        }

        try
        {
            return ParseJson(text, Path.GetFileName(path));
        }
        catch (Exception e) when (e is JsonException or ToolError)
        {
            throw ToolError.Wrap(e, "esxi-folder-fuse.manifest.parse", ErrorKind.InvalidInput);
        }
    }

    private static Manifest ParseJson(string text, string fileName)
    {
        using var doc = JsonDocument.Parse(text);
        var root = Expect(doc.RootElement, JsonValueKind.Object, "an object of datacenters", fileName);
        var datacenters = new Dictionary<string, ManifestDatacenter>(StringComparer.Ordinal);
        foreach (var dc in root.EnumerateObject())
        {
            var where = $"{fileName}: {dc.Name}";
            var body = Expect(dc.Value, JsonValueKind.Object, "a datacenter object", where);
            var datastores = new Dictionary<string, string>(StringComparer.Ordinal);
            if (body.TryGetProperty("datastores", out var dss))
            {
                foreach (var ds in Expect(dss, JsonValueKind.Object, "an object of datastores", where + ".datastores").EnumerateObject())
                {
                    datastores[ds.Name] = Str(ds.Value, $"{where}.datastores.{ds.Name}");
                }
            }

            var vms = new Dictionary<string, ManifestVm>(StringComparer.Ordinal);
            if (body.TryGetProperty("vms", out var vmsElement))
            {
                foreach (var vm in Expect(vmsElement, JsonValueKind.Object, "an object of VMs", where + ".vms").EnumerateObject())
                {
                    vms[vm.Name] = Vm(vm.Value, $"{where}.vms.{vm.Name}");
                }
            }

            datacenters[dc.Name] = new ManifestDatacenter(datastores, vms);
        }

        return new Manifest(datacenters);
    }

    private static ManifestVm Vm(JsonElement vm, string where)
    {
        Expect(vm, JsonValueKind.Object, "a VM object", where);
        var config = vm.TryGetProperty("config", out var c)
            ? Expect(c, JsonValueKind.Object, "a config object", where + ".config")
            : throw Shape("a config object", where + ".config");
        var disks = new List<ManifestDisk>();
        if (vm.TryGetProperty("disks", out var d))
        {
            var i = 0;
            foreach (var disk in Expect(d, JsonValueKind.Array, "a list of disks", where + ".disks").EnumerateArray())
            {
                var at = $"{where}.disks[{i++}]";
                Expect(disk, JsonValueKind.Object, "a disk object", at);
                disks.Add(new ManifestDisk(
                    Str(Prop(disk, "datastore", at), at + ".datastore"),
                    Str(Prop(disk, "path", at), at + ".path"),
                    disk.TryGetProperty("capacity", out var cap) && cap.TryGetInt64(out var n) ? n : 0));
            }
        }

        var power = vm.TryGetProperty("power", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        return new ManifestVm(
            new ManifestConfig(
                Str(Prop(config, "datastore", where + ".config"), where + ".config.datastore"),
                Str(Prop(config, "path", where + ".config"), where + ".config.path"),
                config.TryGetProperty("checksum", out var sum) && sum.ValueKind == JsonValueKind.String ? sum.GetString()! : "N/A"),
            disks,
            power);
    }

    private static JsonElement Prop(JsonElement e, string name, string where) =>
        e.TryGetProperty(name, out var v) ? v : throw Shape($"a \"{name}\" member", where);

    private static string Str(JsonElement e, string where) =>
        e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Shape("a string", where);

    private static JsonElement Expect(JsonElement e, JsonValueKind kind, string what, string where) =>
        e.ValueKind == kind ? e : throw Shape(what, where);

    private static ToolError Shape(string what, string where) =>
        ToolError.Of("esxi-folder-fuse.manifest.shape", ErrorKind.InvalidInput, ("what", what), ("where", where));
}