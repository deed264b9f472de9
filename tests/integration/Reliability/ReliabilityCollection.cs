namespace EsxiImport.IntegrationTests.Reliability;

/// <summary>The reliability tests run one after the other: each mounts and reads hundreds of MiB.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReliabilityCollection
{
    public const string Name = "Reliability";
}
