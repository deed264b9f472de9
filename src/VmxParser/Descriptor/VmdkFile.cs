namespace EsxiImport.VmxParser.Descriptor;

/// <summary>What a .vmdk file turned out to be.</summary>
public enum VmdkFileKind
{
    /// <summary>A text descriptor naming extent files.</summary>
    Descriptor,

    /// <summary>A hosted sparse extent (magic <c>KDMV</c>): monolithicSparse, streamOptimized, twoGbMaxExtentSparse pieces.</summary>
    SparseKdmv,

    /// <summary>An ESX 2.x style sparse extent (magic <c>COWD</c>).</summary>
    SparseCowd,
}

/// <summary>The header fields of a binary sparse extent that tell what it holds.</summary>
/// <param name="Version">Format version.</param>
/// <param name="CapacitySectors">Virtual size in 512-byte sectors.</param>
/// <param name="GrainSectors">Grain size in sectors.</param>
/// <param name="DescriptorOffsetSectors">Where an embedded descriptor starts (KDMV; 0 if none).</param>
/// <param name="DescriptorSizeSectors">How long the embedded descriptor area is (KDMV; 0 if none).</param>
public sealed record SparseHeader(uint Version, ulong CapacitySectors, ulong GrainSectors, ulong DescriptorOffsetSectors, ulong DescriptorSizeSectors);

/// <summary>
/// A classified .vmdk: either a text descriptor, or a binary sparse extent with its header and,
/// for KDMV files that embed one and whose bytes were given, the embedded descriptor.
/// </summary>
/// <param name="Kind">Descriptor or one of the binary formats.</param>
/// <param name="Descriptor">The text descriptor (own or embedded), or null.</param>
/// <param name="Sparse">The binary header, or null for a text descriptor.</param>
public sealed record VmdkFile(VmdkFileKind Kind, VmdkDescriptor? Descriptor, SparseHeader? Sparse);
