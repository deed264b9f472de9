namespace EsxiImport.IntegrationTests.Fuse;

/// <summary>Mount tests run one at a time: they share /proc/sys/vm/drop_caches and the two CPUs.</summary>
[CollectionDefinition("fuse mounts", DisableParallelization = true)]
public sealed class MountCollection;
