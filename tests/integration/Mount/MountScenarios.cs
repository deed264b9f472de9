using EsxiImport.Emulator.Scenarios;

namespace EsxiImport.IntegrationTests.Mount;

/// <summary>
/// The scenario the mount tests run against: small disks (the suite stays fast), names with the
/// characters that broke upstream (FB-31) in VM folders and datastores, a disk on a second
/// datastore, and a datastore no VM uses, which the manifest therefore does not list (FB-20).
/// </summary>
public static class MountScenarios
{
    public const string Datacenter = "ha-datacenter";

    /// <summary>The VM whose disk the read, fault and parallel tests use: a descriptor plus a 16 MiB flat extent.</summary>
    public const string DiskDescriptor = "alpha/alpha.vmdk";

    public const string DiskFlat = "alpha/alpha-flat.vmdk";

    public const string DiskDatastore = "datastore1";

    /// <summary>The datastore the manifest does not list, with one file.</summary>
    public const string SpareDatastore = "spare";

    public const string SpareFile = "ISO/tools.iso";

    /// <summary>The VM whose .vmx the broken-VM test makes unreadable.</summary>
    public const string BrokenVm = "broken";

    public const string BrokenVmx = "broken/broken.vmx";

    private const string Yaml = """
        name: mountit
        users:
          - name: root
            password: "s3cret!"
        datacenters:
          - name: ha-datacenter
            datastores:
              - name: datastore1
                uuid: 11111111-22222222-3333-000c29000001
              - name: Local SSD (1)
                uuid: 11111111-22222222-3333-000c29000002
              - name: "dätastore ü"
                uuid: 11111111-22222222-3333-000c29000003
              - name: spare
                uuid: 11111111-22222222-3333-000c29000004
                files:
                  - path: ISO/
                  - path: ISO/tools.iso
                    size: 3MiB
                    content: { kind: pattern, seed: 41 }
            vms:
              - name: alpha
                datastore: datastore1
                disks:
                  - slot: scsi0:0
                    capacity: 16MiB
                    content: { kind: pattern, seed: 1 }
                  - slot: scsi0:1
                    datastore: "dätastore ü"
                    path: alpha/alpha_1.vmdk
                    capacity: 2MiB
                    content: { kind: sparse, seed: 2, stride: 256KiB }
              - name: "web #1"
                datastore: Local SSD (1)
                folder: "web #1 [prod]"
                disks:
                  - slot: sata0:0
                    capacity: 1MiB
                    content: { kind: pattern, seed: 3 }
              - name: "100%"
                datastore: datastore1
                disks:
                  - slot: scsi0:0
                    capacity: 1MiB
                    content: { kind: pattern, seed: 4 }
              - name: "a&b c+d"
                datastore: datastore1
                disks:
                  - slot: scsi0:0
                    capacity: 1MiB
                    content: { kind: pattern, seed: 5 }
              - name: "ümlaut x y"
                datastore: "dätastore ü"
                disks:
                  - slot: scsi0:0
                    capacity: 1MiB
                    content: { kind: pattern, seed: 6 }
              - name: broken
                datastore: datastore1
                disks:
                  - slot: scsi0:0
                    capacity: 1MiB
                    content: { kind: pattern, seed: 7 }
        """;

    public static Scenario Small() => ScenarioLoader.Parse(Yaml, "mountit.yaml", AppContext.BaseDirectory);
}
