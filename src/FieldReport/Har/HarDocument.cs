using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

using EsxiImport.Diagnostics;

namespace EsxiImport.FieldReport.Har;

/// <summary>Reads and writes recordings. A recording that cannot be used is a <see cref="ToolError"/> naming the file.</summary>
public static class HarDocument
{
    // Names in recordings stay readable (no \u escapes for non-ASCII text).
    private static readonly HarJsonContext Context = new(new JsonSerializerOptions(HarJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>The JSON text of <paramref name="file"/>, ending with a line end.</summary>
    public static string Serialize(HarFile file) => JsonSerializer.Serialize(file, Context.HarFile) + "\n";

    /// <summary>Parses a recording's text; <paramref name="source"/> names it in errors.</summary>
    public static HarFile Parse(string json, string source)
    {
        HarFile? file;
        try
        {
            file = JsonSerializer.Deserialize(json, Context.HarFile);
        }
        catch (JsonException e)
        {
            throw ToolError.Wrap(e, "fieldreport.recording.invalid", ErrorKind.InvalidInput, ("file", source), ("reason", ErrorChain.OneLine(e.Message)));
        }

        if (file?.Log?.Entries is null || file.Log.Entries.Any(e => e?.Request is null || e.Response is null))
        {
            throw ToolError.Of("fieldreport.recording.invalid", ErrorKind.InvalidInput, ("file", source), ("reason", "no log.entries with request and response"));
        }

        if (file.Log.Version != HarFormat.Version)
        {
            throw ToolError.Of("fieldreport.recording.wrong-version", ErrorKind.InvalidInput, ("file", source), ("version", file.Log.Version ?? "(none)"));
        }

        return file.Log.Format > HarFormat.Current
            ? throw ToolError.Of("fieldreport.recording.newer-format", ErrorKind.InvalidInput, ("file", source), ("format", file.Log.Format))
            : file;
    }

    /// <summary>Reads a recording file.</summary>
    public static HarFile Load(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ToolError.Wrap(e, "fieldreport.recording.unreadable", ErrorKind.InvalidInput, ("file", path), ("error", ErrorChain.OneLine(e.Message)));
        }

        return Parse(json, path);
    }

    /// <summary>Writes a recording file whole (a temporary file renamed into place, so a reader never sees half of it).</summary>
    public static void Save(HarFile file, string path)
    {
        var full = Path.GetFullPath(path);
        var temp = full + ".tmp-" + Environment.ProcessId;
        try
        {
            File.WriteAllText(temp, Serialize(file), new UTF8Encoding(false));
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }

            throw ToolError.Wrap(e, "fieldreport.recording.unwritable", ErrorKind.InvalidInput, ("file", path), ("error", ErrorChain.OneLine(e.Message)));
        }
    }

    /// <summary>The bytes of a kept body (text, or base64 bytes); null when the body was not kept.</summary>
    public static byte[]? BodyBytes(HarContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return content.Text is null ? null
            : content.Encoding == HarFormat.Base64 ? Convert.FromBase64String(content.Text)
            : Encoding.UTF8.GetBytes(content.Text);
    }
}
