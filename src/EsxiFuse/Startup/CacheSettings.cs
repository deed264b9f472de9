namespace EsxiImport.EsxiFuse.Startup;

/// <summary>Cache sizes from the command line; null where the user gave none.</summary>
public sealed record CacheSettings(long? PageSize, int? PageCount, long? TotalBytes);
