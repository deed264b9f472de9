using ArchUnitNET.Fluent;
using ArchUnitNET.xUnit;

using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace EsxiImport.ArchitectureTests;

/// <summary>
/// The project graph of README.md as rules on the compiled code. A project reference alone is
/// not enough to break one of them: using a type across the forbidden edge is.
/// </summary>
public sealed class LayerRules
{
    [Fact]
    public void The_fuse_library_uses_no_esxi_code() =>
        Types().That().ResideInAssembly(Layers.Fuse).Should()
            .NotDependOnAny(Layers.TypesIn(Layers.Vim25, Layers.VmxParser, Layers.MountTool, Layers.Emulator, Layers.Listing))
            .Because("the FUSE layer is generic: it serves any IReadOnlyFileSystem and knows nothing of ESXi")
            .Check(Layers.Architecture);

    [Fact]
    public void Diagnostics_depends_on_no_other_project() =>
        Types().That().ResideInAssembly(Layers.Diagnostics).Should()
            .NotDependOnAny(Layers.TypesIn(Layers.AllBut(Layers.Diagnostics)))
            .Because("every program uses the one error type and the catalogue, so it must sit below all of them")
            .Check(Layers.Architecture);

    [Fact]
    public void The_vim25_contract_depends_on_no_program_and_no_other_library() =>
        Types().That().ResideInAssembly(Layers.Vim25).Should()
            .NotDependOnAny(Layers.TypesIn(Layers.AllBut(Layers.Vim25)))
            .Because("the listing client and the emulated host share it; it must not pull either side in")
            .Check(Layers.Architecture);

    [Fact]
    public void The_parser_library_depends_only_on_diagnostics() =>
        Types().That().ResideInAssembly(Layers.VmxParser).Should()
            .NotDependOnAny(Layers.TypesIn(Layers.Vim25, Layers.Fuse, Layers.MountTool, Layers.Emulator, Layers.Listing))
            .Check(Layers.Architecture);

    [Fact]
    public void The_field_report_library_uses_no_tool_and_no_emulator() =>
        Types().That().ResideInAssembly(Layers.FieldReport).Should()
            .NotDependOnAny(Layers.TypesIn(Layers.VmxParser, Layers.Fuse, Layers.MountTool, Layers.Emulator, Layers.Listing))
            .Because("the tools write recordings and the emulator replays them: the format sits below both, tied to neither")
            .Check(Layers.Architecture);

    [Fact]
    public void The_emulator_and_the_tools_do_not_use_each_other()
    {
        Types().That().ResideInAssembly(Layers.Emulator).Should()
            .NotDependOnAny(Layers.TypesIn(Layers.MountTool, Layers.Listing))
            .Because("the emulated host must behave as a host, not as a mirror of our clients")
            .Check(Layers.Architecture);
        Types().That().ResideInAssembly(Layers.MountTool).Should()
            .NotDependOnAny(Layers.TypesIn(Layers.Emulator, Layers.Listing))
            .Because("the shipped tool carries no emulator and no listing code")
            .Check(Layers.Architecture);
        Types().That().ResideInAssembly(Layers.Listing).Should()
            .NotDependOnAny(Layers.TypesIn(Layers.Emulator, Layers.MountTool))
            .Check(Layers.Architecture);
    }
}
