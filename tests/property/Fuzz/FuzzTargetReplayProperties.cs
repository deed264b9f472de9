using EsxiImport.Fuzz;

using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EsxiImport.PropertyTests.Fuzz;

/// <summary>
/// The bounded CI run of the SharpFuzz targets (tests/fuzz): the seed corpus as it is, then
/// random inputs made by mutating corpus entries (bit flips, cuts, splices, inserted bytes) and
/// by pure noise, all through the same entry the fuzzer calls. A long run by hand is described
/// in tests/fuzz/README.md; a crash found there goes into the corpus and is replayed here.
/// </summary>
public sealed class FuzzTargetReplayProperties
{
    public static TheoryData<string, string> CorpusFiles()
    {
        var data = new TheoryData<string, string>();
        foreach (var target in FuzzTarget.Names)
        {
            foreach (var file in Directory.GetFiles(Path.Combine(CorpusRoot(), target)).Order(StringComparer.Ordinal))
            {
                data.Add(target, Path.GetFileName(file));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Every_corpus_entry_runs_through_its_target(string target, string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(CorpusRoot(), target, file));
        var run = () => FuzzTarget.For(target)(bytes);
        run.Should().NotThrow();
    }

    [Property(MaxTest = 1000)]
    public Property Vmx_target_survives_mutated_inputs() => Survives("vmx");

    [Property(MaxTest = 1000)]
    public Property Descriptor_target_survives_mutated_inputs() => Survives("descriptor");

    [Property(MaxTest = 1000)]
    public Property Manifest_target_survives_mutated_inputs() => Survives("manifest");

    [Property(MaxTest = 1000)]
    public Property Cli_target_survives_mutated_inputs() => Survives("cli");

    private static Property Survives(string target)
    {
        var seeds = Directory.GetFiles(Path.Combine(CorpusRoot(), target)).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();
        var run = FuzzTarget.For(target);
        return Prop.ForAll(Arb.From(Inputs(seeds)), bytes => run(bytes));
    }

    private static Gen<byte[]> Inputs(byte[][] seeds)
    {
        var noise = Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf();
        var mutated =
            from seed in Gen.Elements(seeds)
            from other in Gen.Elements(seeds)
            from steps in Gen.Choose(0, 255).Select(b => (byte)b).Three().ListOf()
            select Mutate(seed, other, steps);
        return Gen.Frequency((1, noise), (4, mutated));
    }

    /// <summary>Applies one edit per step: flip a bit, cut, splice from another seed, or insert a byte.</summary>
    private static byte[] Mutate(byte[] seed, byte[] other, IEnumerable<(byte, byte, byte)> steps)
    {
        var data = seed.ToList();
        foreach (var (kind, at, value) in steps)
        {
            var pos = data.Count == 0 ? 0 : at * data.Count / 256;
            switch (kind % 4)
            {
                case 0 when data.Count > 0:
                    data[pos] ^= (byte)(1 << (value % 8));
                    break;
                case 1 when data.Count > 0:
                    data.RemoveRange(pos, Math.Min(data.Count - pos, value + 1));
                    break;
                case 2 when other.Length > 0:
                    var from = value * other.Length / 256;
                    data.InsertRange(pos, other.Skip(from).Take(64));
                    break;
                default:
                    data.Insert(pos, value);
                    break;
            }
        }

        return [.. data];
    }

    private static string CorpusRoot()
    {
        var copied = Path.Combine(AppContext.BaseDirectory, "corpus");
        if (Directory.Exists(copied))
        {
            return copied;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var corpus = Path.Combine(dir.FullName, "tests", "fuzz", "corpus");
            if (Directory.Exists(corpus))
            {
                return corpus;
            }
        }

        throw new DirectoryNotFoundException("tests/fuzz/corpus not found above " + AppContext.BaseDirectory);
    }
}
