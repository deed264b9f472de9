using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

using EsxiImport.Diagnostics;

namespace EsxiImport.VmxParser.Manifest;

/// <summary>
/// Reads and writes the listing JSON. Reading walks the tokens with <see cref="Utf8JsonReader"/>
/// (no reflection, AOT-safe) so every error can name the file, line, column and JSONPath of the
/// offending value; writing produces the upstream listvms shape (per datacenter <c>vms</c> then
/// <c>datastores</c>, indent 2, keys in insertion order). Fields a reader does not know are
/// skipped, and manifests from older listing tools without <c>disks</c>/<c>power</c> load.
/// </summary>
public static class ManifestJson
{
    /// <summary>What listvms writes when the host reports no config checksum; also used when the field is absent.</summary>
    public const string NoChecksum = "N/A";

    /// <summary>Parses manifest text; <paramref name="fileName"/> is used in error messages only.</summary>
    public static Manifest Parse(string json, string fileName)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(Encoding.UTF8.GetBytes(json), fileName);
    }

    /// <summary>
    /// Parses UTF-8 manifest bytes. Every failure is a <see cref="ToolError"/> of kind
    /// <see cref="ErrorKind.InvalidInput"/> naming file, line, column and JSONPath.
    /// </summary>
    public static Manifest Parse(ReadOnlySpan<byte> utf8, string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        if (utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            utf8 = utf8[3..];
        }

        if (utf8.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw ToolError.Of("manifest.json.empty", ErrorKind.InvalidInput, ("file", fileName));
        }

        var bytes = utf8.ToArray();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        var ctx = new ManifestJsonReader(bytes, fileName);
        return ctx.ReadDocument(ref reader);
    }

    /// <summary>Writes the manifest as indented JSON (2 spaces), without a trailing newline.</summary>
    public static string Serialize(Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions
        {
            Indented = true,
            IndentSize = 2,
            // Names are shown to users and compared by the plugin; keep them readable UTF-8.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            w.WriteStartObject();
            foreach (var (dcName, dc) in manifest.Datacenters)
            {
                w.WriteStartObject(dcName);
                w.WriteStartObject("vms");
                foreach (var (vmName, vm) in dc.Vms)
                {
                    WriteVm(w, vmName, vm);
                }

                w.WriteEndObject();
                w.WriteStartObject("datastores");
                foreach (var (dsName, url) in dc.Datastores)
                {
                    w.WriteString(dsName, url);
                }

                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
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
        foreach (var d in vm.Disks)
        {
            w.WriteStartObject();
            w.WriteString("datastore", d.Datastore);
            w.WriteString("path", d.Path);
            w.WriteNumber("capacity", d.Capacity);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (vm.Power is not null)
        {
            w.WriteString("power", vm.Power);
        }

        w.WriteEndObject();
    }
}
