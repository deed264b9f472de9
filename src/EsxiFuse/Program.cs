using EsxiImport.EsxiFuse.Cli;
using EsxiImport.EsxiFuse.Datastores;
using EsxiImport.EsxiFuse.Esxi;
using EsxiImport.EsxiFuse.Startup;

// esxi-folder-fuse: mounts an ESXi host's datastores read-only over its /folder HTTP API.
// The startup (arguments, manifest, accounts, stale mount, privileges, ready fd, early errors)
// is MountTool; mounting, connecting and serving are EsxiStartupSteps.
var steps = new EsxiStartupSteps(FolderClientTuning.FromEnvironment());
return await new MountTool(new StartupSteps(steps, steps, steps), ToolEnvironment.FromProcess())
    .RunAsync(ProgramName.FromProcess(), args);
