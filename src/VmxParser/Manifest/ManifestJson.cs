using System.Text;
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

    /// <summary>
    /// Writes the manifest as listvms.py's <c>json.dump(data, stdout, indent=2)</c> does, byte for
    /// byte (see <see cref="PythonJsonWriter"/>): ASCII only, no line end after the last brace.
    /// </summary>
    public static string Serialize(Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var w = new PythonJsonWriter();
        w.BeginObject();
        foreach (var (dcName, dc) in manifest.Datacenters)
        {
            w.Key(dcName);
            w.BeginObject();
            w.Key("vms");
            w.BeginObject();
            foreach (var (vmName, vm) in dc.Vms)
            {
                WriteVm(w, vmName, vm);
            }

            w.EndObject();
            w.Key("datastores");
            w.BeginObject();
            foreach (var (dsName, url) in dc.Datastores)
            {
                w.Key(dsName);
                w.String(url);
            }

            w.EndObject();
            w.EndObject();
        }

        w.EndObject();
        return w.ToString();
    }

    private static void WriteVm(PythonJsonWriter w, string name, ManifestVm vm)
    {
        w.Key(name);
        w.BeginObject();
        w.Key("config");
        w.BeginObject();
        w.Key("datastore");
        w.String(vm.Config.Datastore);
        w.Key("path");
        w.String(vm.Config.Path);
        w.Key("checksum");
        w.String(vm.Config.Checksum);
        w.EndObject();
        w.Key("disks");
        w.BeginArray();
        foreach (var d in vm.Disks)
        {
            w.BeginObject();
            w.Key("datastore");
            w.String(d.Datastore);
            w.Key("path");
            w.String(d.Path);
            w.Key("capacity");
            w.Number(d.Capacity);
            w.EndObject();
        }

        w.EndArray();
        if (vm.Power is not null)
        {
            w.Key("power");
            w.String(vm.Power);
        }

        w.EndObject();
    }
}
