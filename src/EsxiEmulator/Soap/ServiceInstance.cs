namespace EsxiImport.Emulator.Soap;

/// <summary>The ServiceInstance: where a client starts, before it has a session.</summary>
internal static class ServiceInstance
{
    public const string Type = "ServiceInstance";

    public static SoapOutcome RetrieveServiceContent(SoapCall call) => SoapCall.ReturnData(call.State.Inventory.ServiceContent);
}
