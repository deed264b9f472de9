namespace EsxiImport.FieldReport.Redaction;

/// <summary>What a redacted name named; it picks the placeholder's prefix.</summary>
public enum NameKind
{
    Host,
    Datacenter,
    Datastore,
    Vm,
}
