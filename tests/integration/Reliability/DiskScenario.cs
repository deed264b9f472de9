using System.Security.Cryptography;

using EsxiImport.Emulator.Datastore;
using EsxiImport.Emulator.Scenarios;
using EsxiImport.IntegrationTests.Mount;

namespace EsxiImport.IntegrationTests.Reliability;

/// <summary>The reliability tests' host: VMs with one large pattern disk each, and how to find and check those disks.</summary>
public static class DiskScenario
{
    /// <summary>One VM per disk size given, <c>vm{i}</c> with one pattern disk each, on datastore <c>ds</c>.</summary>
    public static Scenario Of(IReadOnlyList<long> diskBytes, int? hostLimit = null, TimeSpan? sessionIdle = null, string password = "vmware!1") => new()
    {
        Name = "reliability",
        Users = [new ScenarioUser { Name = "root", Password = password }],
        Limits = new HostLimits { MaxFolderRequestsInFlight = hostLimit, SessionIdleTimeout = sessionIdle ?? TimeSpan.FromMinutes(30) },
        Datacenters =
        [
            new ScenarioDatacenter
            {
                Datastores = [new ScenarioDatastore { Name = "ds", Uuid = "65a0b1c2-d3e4f5a6-0718-000c29aabbcc" }],
                Vms = diskBytes.Select((size, i) => new ScenarioVm
                {
                    Name = "vm" + i,
                    Datastore = "ds",
                    Disks = [new ScenarioDisk { CapacityBytes = size, Content = new ContentSpec { Kind = "pattern", Seed = (ulong)(100 + i) } }],
                }).ToList(),
            },
        ],
    };

    /// <summary>The tool as these tests run it: no <c>--log-level</c>, the tool's default.</summary>
    public static Task<string> StartToolAsync(this ToolMount mount, IReadOnlyList<string>? extraArgs = null, bool skipCertificateVerification = true) =>
        mount.LaunchAsync(new ToolMountOptions
        {
            ExtraArguments = extraArgs ?? [],
            SkipCertificateVerification = skipCertificateVerification,
            LogLevel = null,
            RequireReady = false,
        });

    public static string DiskPath(this ToolMount mount, int vm) =>
        Path.Combine(mount.MountPoint, "ha-datacenter", "ds", "vm" + vm, "vm" + vm + "-flat.vmdk");

    /// <summary>The SHA-256 of the bytes the host serves for VM <paramref name="vm"/>'s flat extent.</summary>
    public static byte[] ExpectedSha256(this ToolMount mount, int vm)
    {
        var file = (DatastoreFile)mount.Host.Datastores.Find(mount.Host.Datastores.DefaultDatacenter, "ds")!.Find("vm" + vm + "/vm" + vm + "-flat.vmdk")!;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        for (long at = 0; at < file.Length; at += buffer.Length)
        {
            var n = (int)Math.Min(buffer.Length, file.Length - at);
            file.Content.Read(at, buffer.AsSpan(0, n));
            sha.AppendData(buffer, 0, n);
        }

        return sha.GetHashAndReset();
    }
}
