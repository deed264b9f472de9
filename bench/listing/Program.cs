using System.Diagnostics;
using System.Globalization;

using EsxiImport.Emulator.Http;
using EsxiImport.Emulator.Scenarios;
using EsxiImport.Listing.Cli;
using EsxiImport.Listing.Soap;
using EsxiImport.VmxParser.Manifest;

// Lists a generated host of N VMs (default 1000, two disks each) from the in-process emulator
// over HTTPS with esxi-listvms's own code path and prints round trips, elapsed time and JSON size.
// The first run includes connection setup and JIT; the later runs show the steady state.
//
//   dotnet run -c Release --project bench/listing [-- VMS [RUNS]]
var vmCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;

var scenario = new Scenario
{
    Name = "bench-" + vmCount.ToString(CultureInfo.InvariantCulture),
    Users = [new ScenarioUser { Name = "root", Password = "bench" }],
    Datacenters =
    [
        new ScenarioDatacenter
        {
            Datastores =
            [
                new ScenarioDatastore { Name = "datastore1", Uuid = "65a0b1c2-d3e4f5a6-0718-000c29aabbcc" },
                new ScenarioDatastore { Name = "datastore2", Uuid = "65a0b1c2-d3e4f5a6-0718-000c29ddeeff" },
            ],
            Vms = Enumerable.Range(1, vmCount).Select(i => new ScenarioVm
            {
                Name = "vm-" + i.ToString("D5", CultureInfo.InvariantCulture),
                Datastore = "datastore1",
                PowerState = i % 3 == 0 ? "poweredOn" : "poweredOff",
                ConfigChecksum = i.ToString("x8", CultureInfo.InvariantCulture),
                ExtraConfig = new Dictionary<string, string> { ["nvram"] = "vm.nvram", ["svga.present"] = "TRUE" },
                Disks =
                [
                    new ScenarioDisk { Slot = "scsi0:0", CapacityBytes = 16L << 30 },
                    new ScenarioDisk { Slot = "scsi0:1", Datastore = "datastore2", CapacityBytes = 64L << 30 },
                ],
            }).ToList(),
        },
    ],
};

await using var host = await EmulatorHost.StartAsync(scenario);
var options = new VimClientOptions("127.0.0.1", host.BaseUri.Port) { SkipCertificateVerification = true };
Console.WriteLine($"listing {vmCount} VMs from {host.BaseUri} (HTTPS, in-process emulator), {runs} runs");
for (var run = 1; run <= runs; run++)
{
    var roundTrips = 0;
    var watch = Stopwatch.StartNew();
    var result = await ListVmsCommand.ListAsync(options, "root", "bench", inspect: c => roundTrips = c.RoundTrips);
    var json = System.Text.Encoding.UTF8.GetBytes(ManifestJson.Serialize(result.Manifest) + "\n");
    watch.Stop();
    var listed = result.Manifest.Datacenters.Values.Sum(d => d.Vms.Count);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"run {run}: {listed} VMs listed, {roundTrips} HTTP round trips, {watch.Elapsed.TotalMilliseconds:F0} ms, JSON {json.Length} bytes"));
}
