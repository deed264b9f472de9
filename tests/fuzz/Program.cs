using EsxiImport.Fuzz;

using SharpFuzz;

// esxi-fuzz TARGET [--libfuzzer]: runs one fuzz target under SharpFuzz. Without --libfuzzer it
// speaks AFL's fork-server protocol (afl-fuzz runs it); with it, libFuzzer's (libfuzzer-dotnet).
// Outside a fuzzer (no AFL shared memory) it reads one input from stdin and runs it once, which
// is how a crash file is replayed. See tests/fuzz/README.md.
if (args.Length < 1 || !FuzzTarget.Names.Contains(args[0]))
{
    Console.Error.WriteLine("usage: esxi-fuzz " + string.Join('|', FuzzTarget.Names) + " [--libfuzzer]");
    return 2;
}

var target = FuzzTarget.For(args[0]);
if (args.Contains("--libfuzzer"))
{
    Fuzzer.LibFuzzer.Run(span => target(span.ToArray()));
}
else
{
    Fuzzer.Run(stream =>
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        target(copy.ToArray());
    });
}

return 0;
