using System.Xml.Linq;

using EsxiImport.Listing.Soap;
using EsxiImport.Vim25;

namespace EsxiImport.Listing.Listing;

/// <summary>Reads the listing's VM properties out of an ObjectContent, tolerating fields it does not know.</summary>
internal sealed class VmProperties(ObjectContent content)
{
    public ManagedObjectReference Ref => content.Obj;

    public string Name => Text("name") ?? content.Obj.Value;

    public ManagedObjectReference? Parent => ManagedObjectReference.From(Val("parent"));

    public string? PowerState => Text("runtime.powerState");

    public string? VmPathName => Text("config.files.vmPathName");

    /// <summary>Hex of vmxConfigChecksum, or "N/A" when the host does not report one.</summary>
    public string Checksum => Text("config.vmxConfigChecksum") is { Length: > 0 } b64
        ? Convert.ToHexStringLower(Convert.FromBase64String(b64.Trim()))
        : "N/A";

    /// <summary>Whether extraConfig has <c>HDCS.agent = true</c> (a vCLS agent VM).</summary>
    public bool IsVclsAgent => Items("config.extraConfig").Any(o =>
        o.ChildText("key") == "HDCS.agent" && string.Equals(o.ChildText("value")?.Trim(), "true", StringComparison.OrdinalIgnoreCase));

    /// <summary>(fileName, capacity in bytes) of every VirtualDisk device, in device order.</summary>
    public IEnumerable<(string? FileName, long Capacity)> Disks =>
        Items("config.hardware.device").Where(d => d.XsiType() == "VirtualDisk").Select(d =>
        {
            var bytes = d.ChildText("capacityInBytes");
            var capacity = bytes is not null ? long.Parse(bytes.Trim(), System.Globalization.CultureInfo.InvariantCulture)
                : long.Parse(d.ChildText("capacityInKB")?.Trim() ?? "0", System.Globalization.CultureInfo.InvariantCulture) * 1024;
            return (d.Child("backing")?.ChildText("fileName"), capacity);
        });

    public IEnumerable<(string Name, string Url)> DatastoreUrls =>
        Items("config.datastoreUrl").Select(p => (p.ChildText("name") ?? "", p.ChildText("url") ?? ""));

    private XElement? Val(string path) => content.Properties.GetValueOrDefault(path);

    private string? Text(string path) => Val(path)?.Value;

    // An array property arrives wrapped (ArrayOfX) with one child element per item.
    private IEnumerable<XElement> Items(string path) => Val(path)?.Elements() ?? [];
}
