using System.Text;

using EsxiImport.Emulator.Scenarios;

namespace EsxiImport.Emulator.Datastore;

/// <summary>Turns a scenario <see cref="ContentSpec"/> into served content.</summary>
public static class ContentFactory
{
    /// <summary>
    /// Content of a generated file. <paramref name="size"/> is the served size for generated
    /// kinds and for disks; null means "the natural size" of text and file content.
    /// </summary>
    public static FileContent Create(ContentSpec spec, long? size)
    {
        ArgumentNullException.ThrowIfNull(spec);
        switch (spec.Kind)
        {
            case "zeros":
                return new ZeroContent(size ?? 0);
            case "sparse":
                return new SparseContent(size ?? 0, spec.Seed, spec.Stride);
            case "pattern":
                return new PatternContent(size ?? 0, spec.Seed);
            case "text":
                return new BytesContent(Encoding.UTF8.GetBytes(spec.Text ?? ""), size);
            case "base64":
                return new BytesContent(Convert.FromBase64String(spec.Text ?? ""), size);
            case "file":
                var path = spec.File ?? "";
                return new HostFileContent(path, size ?? new FileInfo(path).Length);
            default:
                throw new InvalidOperationException("the scenario loader lets no unknown content kind through: " + spec.Kind);
        }
    }
}
