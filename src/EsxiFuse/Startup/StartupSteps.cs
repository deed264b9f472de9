namespace EsxiImport.EsxiFuse.Startup;

/// <summary>The plug points, supplied by Program.cs: the three of a mount, and <c>--diagnose</c>.</summary>
public sealed record StartupSteps(IMountStep Mount, IHostConnector Connector, IServeLoop Serve, IDiagnoseRun? Diagnose = null);
