using System.Text.Json;

using EsxiImport.Emulator.Scenarios;

namespace EsxiImport.UnitTests.Diagnose;

/// <summary>
/// A VM with every import risk the .vmx and its descriptors can show: EFI with LSI Logic, NVMe,
/// encryption, vTPM, a raw device mapping, an independent disk, a snapshot over a 3 TiB base,
/// CBT and a suspended state; and files that are missing on the host.
/// </summary>
public sealed class VmRiskTests
{
    private const string Scenario = """
        name: risky
        datacenters:
          - name: ha-datacenter
            datastores:
              - name: datastore1
                files:
                  - path: risky/risky-000001.vmdk
                    content: { kind: text, text: "# Disk DescriptorFile\nversion=1\nCID=fffffffe\nparentCID=12345678\ncreateType=\"seSparse\"\nparentFileNameHint=\"risky.vmdk\"\n# Extent description\nRW 6442450944 SESPARSE \"risky-000001-sesparse.vmdk\"\n" }
                  - path: risky/risky-000001-sesparse.vmdk
                    size: 1MiB
                    content: { kind: zeros }
                  - path: risky/risky.vmdk
                    content: { kind: text, text: "# Disk DescriptorFile\nversion=1\nCID=12345678\nparentCID=ffffffff\ncreateType=\"vmfs\"\n# Extent description\nRW 6442450944 VMFS \"risky-flat.vmdk\"\n" }
                  - path: risky/risky-flat.vmdk
                    size: 3TiB
                    content: { kind: zeros }
                  - path: risky/rdm.vmdk
                    content: { kind: text, text: "# Disk DescriptorFile\nversion=1\nCID=23456789\nparentCID=ffffffff\ncreateType=\"vmfsRawDeviceMap\"\n# Extent description\nRW 2048 VMFSRDM \"rdm-rdm.vmdk\"\n" }
            vms:
              - name: risky
                datastore: datastore1
                powerState: suspended
                vmxContent: |
                  .encoding = "UTF-8"
                  displayName = "risky"
                  firmware = "efi"
                  guestOS = "windows2019srv-64"
                  scsi0.present = "TRUE"
                  scsi0.virtualDev = "lsilogic"
                  scsi0:0.present = "TRUE"
                  scsi0:0.fileName = "risky-000001.vmdk"
                  scsi0:0.mode = "independent-persistent"
                  scsi0:0.ctkEnabled = "TRUE"
                  scsi0:1.present = "TRUE"
                  scsi0:1.fileName = "rdm.vmdk"
                  nvme0.present = "TRUE"
                  nvme0:0.present = "TRUE"
                  nvme0:0.fileName = "missing.vmdk"
                  vtpm.present = "TRUE"
                  encryption.keySafe = "vmware:key/list/(pair/(null/vmware:key/fqid,HMAC-SHA-256,x))"
                  checkpoint.vmState = "risky.vmss"
        """;

    [Fact]
    public async Task Every_risk_of_the_vmx_and_its_disks_is_reported_and_missing_files_are_named()
    {
        var scenario = ScenarioLoader.Parse(Scenario, "risky.yaml", Path.GetTempPath());
        await using var box = await DiagnoseHost.StartAsync(scenario);
        var (exit, stdout, _) = await DiagnoseHost.RunAsync(box.Args(extra: "--diagnose-json"));

        exit.Should().Be(0, "without --strict a broken VM is a warning");
        using var json = JsonDocument.Parse(stdout);
        var vm = json.RootElement.GetProperty("vms")[0];
        vm.GetProperty("risks").EnumerateArray().Select(r => r.GetProperty("id").GetString()).Should().Equal(
            "efi-lsilogic", "nvme", "encrypted", "vtpm", "rdm", "independent", "snapshots", "cbt", "large-disk", "suspended");
        var disks = vm.GetProperty("disks");
        disks[0].GetProperty("snapshotDepth").GetInt32().Should().Be(1);
        disks[0].GetProperty("parents")[0].GetProperty("path").GetString().Should().Be("[datastore1] risky/risky.vmdk");
        disks[0].GetProperty("capacityBytes").GetInt64().Should().Be(3L << 40);
        disks[1].GetProperty("extents")[0].GetProperty("problem").GetString().Should().Contain("not found");
        disks[2].GetProperty("descriptor").GetProperty("problem").GetString().Should().Contain("not found");
        vm.GetProperty("checkFailure")[0].GetString().Should().Be("failed to check VM \"risky\" of datacenter \"ha-datacenter\"");
        json.RootElement.GetProperty("host").GetProperty("probeFile").GetString().Should().Be("[datastore1] risky/risky-flat.vmdk", "the largest data file is measured");
    }
}
