using System.Text.Json.Serialization;

namespace EsxiImport.FieldReport.Har;

/// <summary>Source-generated JSON for the HAR model, so the NativeAOT tools can write recordings.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(HarFile))]
internal sealed partial class HarJsonContext : JsonSerializerContext;
