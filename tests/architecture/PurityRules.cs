using ArchUnitNET.xUnit;

using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace EsxiImport.ArchitectureTests;

/// <summary>Rules on what a layer may touch outside the code base.</summary>
public sealed class PurityRules
{
    [Fact]
    public void The_parser_library_does_no_io() =>
        Types().That().ResideInAssembly(Layers.VmxParser).Should()
            .NotDependOnAnyTypesThat().HaveFullNameMatching(
                @"^System\.IO\.(File|FileInfo|FileStream|Directory|DirectoryInfo|StreamReader|StreamWriter|FileSystemWatcher)$"
                + @"|^System\.(Console|Environment)$|^System\.Diagnostics\.Process$|^System\.Net\.")
            .Because("it takes bytes and strings, so every caller decides where they come from and the fuzzers can drive it")
            .Check(Layers.Architecture);
}
