using EsxiImport.Emulator.Scenarios;
using EsxiImport.Vim25;

namespace EsxiImport.Emulator.Inventory;

/// <summary>The fixed data objects of a host (ServiceContent, AboutInfo) and small per-object ones, in WSDL field order.</summary>
internal static class InventoryValues
{
    // Deterministic timestamps: a scenario must serve the same bytes on every run.
    internal const string FixedTime = "2024-01-01T00:00:00Z";

    public static VimData About(HostInfo host) => new("AboutInfo",
    [
        new("name", VimPrimitive.String("VMware ESXi")),
        new("fullName", VimPrimitive.String($"VMware ESXi {host.Version} build-{host.Build}")),
        new("vendor", VimPrimitive.String("VMware, Inc.")),
        new("version", VimPrimitive.String(host.Version)),
        new("build", VimPrimitive.String(host.Build)),
        new("localeVersion", VimPrimitive.String("INTL")),
        new("localeBuild", VimPrimitive.String("000")),
        new("osType", VimPrimitive.String("vmnix-x86")),
        new("productLineId", VimPrimitive.String("embeddedEsx")),
        new("apiType", VimPrimitive.String("HostAgent")),
        new("apiVersion", VimPrimitive.String(host.ApiVersion)),
        new("instanceUuid", VimPrimitive.String("52a8c3f0-0000-4000-8000-000000000001")),
        new("licenseProductName", VimPrimitive.String("VMware ESX Server")),
        new("licenseProductVersion", VimPrimitive.String(host.Version.Split('.')[0] + ".0")),
    ]);

    public static VimData ServiceContent(VimData about) => new("ServiceContent",
    [
        new("rootFolder", HostInventory.RootFolder),
        new("propertyCollector", HostInventory.PropertyCollector),
        new("viewManager", HostInventory.ViewManager),
        new("about", about),
        new("setting", new ManagedObjectReference("OptionManager", "HostAgentSettings")),
        new("userDirectory", new ManagedObjectReference("UserDirectory", "ha-user-directory")),
        new("sessionManager", HostInventory.SessionManager),
        new("authorizationManager", new ManagedObjectReference("AuthorizationManager", "ha-authmgr")),
        new("perfManager", new ManagedObjectReference("PerformanceManager", "ha-perfmgr")),
        new("eventManager", new ManagedObjectReference("EventManager", "ha-eventmgr")),
        new("taskManager", new ManagedObjectReference("TaskManager", "ha-taskmgr")),
        new("accountManager", new ManagedObjectReference("HostLocalAccountManager", "ha-localacctmgr")),
        new("diagnosticManager", new ManagedObjectReference("DiagnosticManager", "ha-diagnosticmgr")),
        new("licenseManager", new ManagedObjectReference("LicenseManager", "ha-license-manager")),
        new("searchIndex", new ManagedObjectReference("SearchIndex", "ha-searchindex")),
        new("fileManager", new ManagedObjectReference("FileManager", "ha-nfc-file-manager")),
        new("virtualDiskManager", new ManagedObjectReference("VirtualDiskManager", "ha-vdiskmanager")),
    ]);

    public static VimData Runtime(ScenarioVm vm, ManagedObjectReference host) => new("VirtualMachineRuntimeInfo",
    [
        new("host", host),
        new("connectionState", new VimEnum("VirtualMachineConnectionState", vm.ConfigUnavailable ? "inaccessible" : "connected")),
        new("powerState", new VimEnum("VirtualMachinePowerState", vm.PowerState)),
        new("faultToleranceState", new VimEnum("VirtualMachineFaultToleranceState", "notConfigured")),
        new("toolsInstallerMounted", VimPrimitive.Bool(false)),
        new("numMksConnections", VimPrimitive.Int(0)),
    ]);

    public static VimData DatastoreSummary(ManagedObjectReference reference, ScenarioDatastore ds) => new("DatastoreSummary",
    [
        new("datastore", reference),
        new("name", VimPrimitive.String(ds.Name)),
        new("url", VimPrimitive.String(ds.Url)),
        new("capacity", VimPrimitive.Long(1L << 40)),
        new("freeSpace", VimPrimitive.Long(1L << 39)),
        new("accessible", VimPrimitive.Bool(true)),
        new("type", VimPrimitive.String("VMFS")),
    ]);

    /// <summary>A UserSession for Login's reply.</summary>
    public static VimData UserSession(string key, string userName, DateTimeOffset loginTime, string? ipAddress, string? userAgent) => new("UserSession",
    [
        new("key", VimPrimitive.String(key)),
        new("userName", VimPrimitive.String(userName)),
        new("fullName", VimPrimitive.String(userName == "root" ? "Administrator" : userName)),
        new("loginTime", VimPrimitive.DateTime(loginTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture))),
        new("lastActiveTime", VimPrimitive.DateTime(loginTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture))),
        new("locale", VimPrimitive.String("en")),
        new("messageLocale", VimPrimitive.String("en")),
        new("extensionSession", VimPrimitive.Bool(false)),
        new("ipAddress", VimPrimitive.String(ipAddress ?? "127.0.0.1")),
        new("userAgent", VimPrimitive.String(userAgent ?? "")),
        new("callCount", VimPrimitive.Long(0)),
    ]);
}
