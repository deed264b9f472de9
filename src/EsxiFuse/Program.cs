using EsxiImport.EsxiFuse.Cli;
using EsxiImport.EsxiFuse.Datastores;
using EsxiImport.EsxiFuse.Diagnose;
using EsxiImport.EsxiFuse.Esxi;
using EsxiImport.EsxiFuse.Startup;

// esxi-folder-fuse: mounts an ESXi host's datastores read-only over its /folder HTTP API.
// The startup (arguments, manifest, accounts, stale mount, privileges, ready fd, early errors)
// is MountTool; mounting, connecting and serving are EsxiStartupSteps; --diagnose is DiagnoseRun.
var tuning = FolderClientTuning.FromEnvironment();
var steps = new EsxiStartupSteps(tuning);
return await new MountTool(new StartupSteps(steps, steps, steps, new DiagnoseRun(tuning)), ToolEnvironment.FromProcess())
    .RunAsync(ProgramName.FromProcess(), args);
