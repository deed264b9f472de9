using ArchUnitNET.Domain;
using ArchUnitNET.Fluent;
using ArchUnitNET.Loader;

namespace EsxiImport.ArchitectureTests;

/// <summary>Every library and program of src/, loaded once for all rules.</summary>
internal static class Layers
{
    public static readonly System.Reflection.Assembly Diagnostics = typeof(EsxiImport.Diagnostics.ToolError).Assembly;
    public static readonly System.Reflection.Assembly VmxParser = typeof(EsxiImport.VmxParser.Syntax.VmxDocument).Assembly;
    public static readonly System.Reflection.Assembly Vim25 = typeof(EsxiImport.Vim25.SessionCookie).Assembly;
    public static readonly System.Reflection.Assembly Fuse = typeof(EsxiImport.Fuse.Connection.FuseServer).Assembly;
    public static readonly System.Reflection.Assembly MountTool = typeof(EsxiImport.EsxiFuse.Startup.MountTool).Assembly;
    public static readonly System.Reflection.Assembly Emulator = typeof(EsxiImport.Emulator.Http.EmulatorHost).Assembly;
    public static readonly System.Reflection.Assembly Listing = typeof(EsxiImport.Listing.Listing.VmLister).Assembly;
    public static readonly System.Reflection.Assembly FieldReport = typeof(EsxiImport.FieldReport.Recording.FieldRecording).Assembly;

    public static readonly System.Reflection.Assembly[] All = [Diagnostics, VmxParser, Vim25, Fuse, MountTool, Emulator, Listing, FieldReport];

    public static readonly ArchUnitNET.Domain.Architecture Architecture = new ArchLoader().LoadAssemblies(All).Build();

    /// <summary>The types of <paramref name="assemblies"/>.</summary>
    public static IObjectProvider<IType> TypesIn(params System.Reflection.Assembly[] assemblies) =>
        ArchRuleDefinition.Types().That().ResideInAssembly(assemblies[0], assemblies[1..]);

    /// <summary>Every assembly of src/ but <paramref name="except"/>.</summary>
    public static System.Reflection.Assembly[] AllBut(params System.Reflection.Assembly[] except) => All.Except(except).ToArray();
}
