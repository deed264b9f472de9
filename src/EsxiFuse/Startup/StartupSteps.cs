namespace EsxiImport.EsxiFuse.Startup;

/// <summary>The three plug points, supplied by Program.cs.</summary>
public sealed record StartupSteps(IMountStep Mount, IHostConnector Connector, IServeLoop Serve);
