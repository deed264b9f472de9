using System.Text.Encodings.Web;
using System.Text.Json;

using EsxiImport.VmxParser.Manifest;

namespace EsxiImport.Listing.Json;

/// <summary>
/// Writes a manifest as the listing's JSON (indent 2, non-ASCII kept as UTF-8, newline at the end):
/// <c>{dc: {"datastores": {name: url}, "vms": {name: {"config", "disks", "power"}}}}</c>.
/// Kept here until the shared serializer (ManifestJson in VmxParser) lands; the layout is the same.
/// </summary>
public static class ManifestJsonWriter
{
    public static byte[] Serialize(EsxiImport.VmxParser.Manifest.Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            foreach (var (dcName, dc) in manifest.Datacenters)
            {
                w.WriteStartObject(dcName);
                w.WriteStartObject("datastores");
                foreach (var (name, url) in dc.Datastores)
                {
                    w.WriteString(name, url);
                }

                w.WriteEndObject();
                w.WriteStartObject("vms");
                foreach (var (name, vm) in dc.Vms)
                {
                    WriteVm(w, name, vm);
                }

                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static void WriteVm(Utf8JsonWriter w, string name, ManifestVm vm)
    {
        w.WriteStartObject(name);
        w.WriteStartObject("config");
        w.WriteString("datastore", vm.Config.Datastore);
        w.WriteString("path", vm.Config.Path);
        w.WriteString("checksum", vm.Config.Checksum);
        w.WriteEndObject();
        w.WriteStartArray("disks");
        foreach (var disk in vm.Disks)
        {
            w.WriteStartObject();
            w.WriteString("datastore", disk.Datastore);
            w.WriteString("path", disk.Path);
            w.WriteNumber("capacity", disk.Capacity);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (vm.Power is { } power)
        {
            w.WriteString("power", power);
        }
        else
        {
            w.WriteNull("power");
        }

        w.WriteEndObject();
    }
}