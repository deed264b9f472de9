using ArchUnitNET.Fluent.Slices;
using ArchUnitNET.xUnit;

namespace EsxiImport.ArchitectureTests;

/// <summary>Namespaces form layers within each project too: no two of them use each other.</summary>
public sealed class CycleRules
{
    [Fact]
    public void No_namespace_cycles() =>
        SliceRuleDefinition.Slices().Matching("EsxiImport.(**)").Should().BeFreeOfCycles().Check(Layers.Architecture);
}
