using System.Text;

using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Cli;
using EsxiImport.VmxParser.Descriptor;
using EsxiImport.VmxParser.Manifest;
using EsxiImport.VmxParser.Model;
using EsxiImport.VmxParser.Syntax;

namespace EsxiImport.Fuzz;

/// <summary>
/// The fuzz targets: bytes in, the parser runs, and the only exception allowed out of a parser is
/// <see cref="ToolError"/> (the .vmx reader may not fail at all). Any other exception escapes and
/// is the finding. The same entry serves SharpFuzz (AFL or libFuzzer) and the bounded replay in
/// tests/property, so what CI checks is what a long run checks.
/// </summary>
public static class FuzzTarget
{
    public static readonly IReadOnlyList<string> Names = ["vmx", "descriptor", "manifest", "cli"];

    public static Action<byte[]> For(string name) => name switch
    {
        "vmx" => Vmx,
        "descriptor" => Descriptor,
        "manifest" => Manifest,
        "cli" => Cli,
        _ => throw new ArgumentException("unknown fuzz target " + name, nameof(name)),
    };

    public static void Vmx(byte[] data)
    {
        // Never throws, not even a ToolError: a broken .vmx becomes warnings.
        var config = VmConfig.Parse(data);
        _ = config.Warnings.Select(w => w.Text).ToList();
        _ = VmxDocument.Parse(data).ToText();
    }

    public static void Descriptor(byte[] data) => OnlyToolError(() =>
    {
        var file = VmdkReader.Read(data, "fuzz.vmdk");
        _ = file.Descriptor?.Warnings.Select(w => w.Text).ToList();
        _ = (file.Descriptor?.CapacityBytes, file.Descriptor?.HasParent, file.Descriptor?.ParentFileNameHint);
    });

    public static void Manifest(byte[] data) => OnlyToolError(() =>
    {
        var manifest = ManifestJson.Parse(data, "fuzz.json");
        _ = ManifestJson.Serialize(manifest);
    });

    /// <summary>
    /// The mount tool's argument parser over NUL- or newline-separated arguments. Options that
    /// read a file or an fd get a fixed harmless value instead of the fuzzed one: a fuzzed
    /// <c>--password-fd 0</c> or <c>--password-file /dev/zero</c> would block or grow without
    /// end, which is the operating system's behaviour, not the parser's.
    /// </summary>
    public static void Cli(byte[] data) => OnlyToolError(() =>
    {
        var args = Encoding.UTF8.GetString(data).Split('\0', '\n').ToList();
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            var name = a.Split('=', 2)[0];
            if (name is "--password-fd" or "--password-file" or "--user-file")
            {
                args[i] = name + "=" + (name == "--password-fd" ? "-1" : "/nonexistent/fuzz");
                if (!a.Contains('=', StringComparison.Ordinal) && i + 1 < args.Count)
                {
                    args.RemoveAt(i + 1);
                }
            }
        }

        _ = ArgumentParser.Parse(args);
        _ = ArgumentParser.FindReadyFd(args);
    });

    private static void OnlyToolError(Action parse)
    {
        try
        {
            parse();
        }
        catch (ToolError)
        {
            // The parsers' own error: what a user sees as a clear message.
        }
    }
}
