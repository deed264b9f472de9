using EsxiImport.Emulator.Scenarios;

namespace EsxiImport.IntegrationTests.Listing;

/// <summary>Scenarios for the listing tests: every case the listing must handle, on one host.</summary>
internal static class ListingScenarios
{
    public const string Password = "s3cret";

    public static Scenario Standard() => new()
    {
        Name = "listing",
        Users = [new ScenarioUser { Name = "root", Password = Password }],
        Datacenters =
        [
            new ScenarioDatacenter
            {
                Name = "ha-datacenter",
                Datastores =
                [
                    new ScenarioDatastore { Name = "datastore1", Uuid = "65a0b1c2-d3e4f5a6-0718-000c29aabbcc" },
                    new ScenarioDatastore { Name = "ssd [fast] ü", Uuid = "65a0b1c2-d3e4f5a6-0718-000c29ddeeff" },
                    new ScenarioDatastore { Name = "unused", Uuid = "65a0b1c2-d3e4f5a6-0718-000c29000000" },
                ],
                Vms =
                [
                    new ScenarioVm
                    {
                        Name = "two disks", Datastore = "datastore1", PowerState = "poweredOn", ConfigChecksum = "00010203040506070809a0b0c0d0e0f0ff",
                        Disks = [new ScenarioDisk { Slot = "scsi0:0", CapacityBytes = 16L << 30 }, new ScenarioDisk { Slot = "sata0:1", Datastore = "ssd [fast] ü", CapacityBytes = 3L << 30 }],
                    },
                    new ScenarioVm
                    {
                        Name = "Ünïcødé [x] & co", Datastore = "ssd [fast] ü", Folder = "odd folder/sub", PowerState = "suspended",
                        Disks = [new ScenarioDisk { Slot = "nvme0:0", CapacityBytes = 1L << 30 }],
                    },
                    new ScenarioVm
                    {
                        Name = "vCLS-1", Datastore = "datastore1", ExtraConfig = new Dictionary<string, string> { ["HDCS.agent"] = "true" },
                        Disks = [new ScenarioDisk()],
                    },
                    new ScenarioVm
                    {
                        Name = "vCLS-embedded", Datastore = "",
                        ExtraConfig = new Dictionary<string, string> { ["HDCS.agent"] = "false", ["vCLSCRX.agent"] = "true" },
                    },
                    new ScenarioVm { Name = "orphaned", Datastore = "datastore1", ConfigUnavailable = true },
                    new ScenarioVm { Name = "no disks", Datastore = "datastore1", PowerState = "poweredOff" },
                    new ScenarioVm { Name = "two disks", Datastore = "datastore1", Folder = "two disks copy", Disks = [new ScenarioDisk()] },
                ],
            },
        ],
    };

    /// <summary>
    /// Names beyond ASCII everywhere the manifest carries text: a datacenter, datastores and VMs
    /// with Latin accents, combining marks, CJK, right-to-left script, characters above U+FFFF
    /// (surrogate pairs), a variation selector, DEL, quotes and backslashes.
    /// </summary>
    public static Scenario NonAscii() => new()
    {
        Name = "non-ascii",
        Users = [new ScenarioUser { Name = "root", Password = Password }],
        Datacenters =
        [
            new ScenarioDatacenter
            {
                Name = "Rechenzentrum Zürich",
                Datastores =
                [
                    new ScenarioDatastore { Name = "データストア1", Uuid = "65a0b1c2-d3e4f5a6-0718-000c29aabbcc" },
                    new ScenarioDatastore { Name = "ssd 🚀 \"fast\"", Uuid = "65a0b1c2-d3e4f5a6-0718-000c29ddeeff" },
                ],
                Vms =
                [
                    new ScenarioVm
                    {
                        Name = "Ünïcode web #1", Datastore = "データストア1", PowerState = "poweredOn",
                        Disks = [new ScenarioDisk { Slot = "scsi0:0" }, new ScenarioDisk { Slot = "scsi0:1", Datastore = "ssd 🚀 \"fast\"" }],
                    },
                    new ScenarioVm { Name = "Cafe\u0301 \U0001D11E 𝄞 🖥\uFE0F", Datastore = "ssd 🚀 \"fast\"", Folder = "mañana/δ", Disks = [new ScenarioDisk()] },
                    new ScenarioVm { Name = "שלום עולם", Datastore = "データストア1", PowerState = "suspended", Disks = [new ScenarioDisk()] },
                    new ScenarioVm { Name = "back\\slash 'quote' del\u007f", Datastore = "データストア1", Disks = [new ScenarioDisk()] },
                ],
            },
        ],
    };

    /// <summary>A host with <paramref name="count"/> ordinary VMs (two disks each), for the benchmark.</summary>
    public static Scenario Large(int count) => new()
    {
        Name = "large",
        Users = [new ScenarioUser { Name = "root", Password = Password }],
        Datacenters =
        [
            new ScenarioDatacenter
            {
                Datastores = [new ScenarioDatastore { Name = "datastore1", Uuid = "65a0b1c2-d3e4f5a6-0718-000c29aabbcc" }],
                Vms = Enumerable.Range(1, count).Select(i => new ScenarioVm
                {
                    Name = "vm-" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture),
                    Datastore = "datastore1",
                    PowerState = i % 2 == 0 ? "poweredOn" : "poweredOff",
                    ConfigChecksum = "0a0b0c0d",
                    Disks = [new ScenarioDisk(), new ScenarioDisk { Slot = "scsi0:1", CapacityBytes = 2L << 30 }],
                }).ToList(),
            },
        ],
    };
}
