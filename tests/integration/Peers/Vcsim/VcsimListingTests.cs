using System.Globalization;
using System.Text.Json.Nodes;

using EsxiImport.IntegrationTests.Listing;
using EsxiImport.Listing.Cli;

using Xunit.Abstractions;

namespace EsxiImport.IntegrationTests.Peers.Vcsim;

/// <summary>
/// esxi-listvms against govmomi's simulator, judged by Debian's pyvmomi walking the same host the
/// way upstream's listvms.py does (tests/integration/Listing/listvms_walk.py).
/// </summary>
[Collection(VcsimCollection.Name)]
public sealed class VcsimListingTests(PopulatedVcsim vcsim, ITestOutputHelper output)
{
    /// <summary>vcsim's own VMs: created by the model, their disks have capacityInKB but no capacityInBytes.</summary>
    private static readonly string[] ModelVms = ["ha-host_VM0", "ha-host_VM1"];

    internal static async Task<(int Exit, string Stdout, string Stderr)> ListAsync(VcsimReady ready, string passwordFile)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await ListVmsCommand.RunAsync(
            ["--skip-cert-verification", "--port", ready.Port.ToString(CultureInfo.InvariantCulture), "127.0.0.1", ready.User, passwordFile], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Our_listing_of_vcsim_equals_a_pyvmomi_walk_of_it()
    {
        var ready = vcsim.Peer.Ready;
        using var password = new TempFile(ready.Password + "\n");

        var walk = await PyvmomiWalkTests.RunWalkAsync(ready.Port, password.Path, "--skip-cert-verification");
        walk.Exit.Should().Be(0, walk.Stderr);
        var (exit, ours, errors) = await ListAsync(ready, password.Path);
        exit.Should().Be(0, errors);
        errors.Should().Be(walk.Stderr, "both print the same notices (none here)");
        output.WriteLine($"vcsim peer: build (cached) {vcsim.BuildTime.TotalSeconds:F1} s, start {vcsim.Peer.StartupTime.TotalSeconds:F2} s, populate {vcsim.PopulateTime.TotalSeconds:F2} s");

        // The host is what the populate script meant it to be (else the comparison proves little).
        var theirs = JsonNode.Parse(walk.Stdout)!["ha-datacenter"]!;
        theirs["vms"]!.AsObject().Select(p => p.Key).Should().BeEquivalentTo(vcsim.PopulatedNames.Concat(ModelVms));
        theirs["datastores"]!.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!).Should().BeEquivalentTo(ready.Datastores);
        theirs["vms"]!["Ünïcødé web #1"]!["config"]!["path"]!.GetValue<string>().Should().Be("odd folder/sub/Ünïcødé web #1/Ünïcødé web #1.vmx");
        theirs["vms"]!["web server 02"]!["disks"]![1]!["datastore"]!.GetValue<string>().Should().Be("LocalDS_1");
        theirs["vms"]!.AsObject().Select(p => (string)p.Value!["power"]!).Should().Contain(["poweredOff", "poweredOn", "suspended"]);

        // The one known difference: a disk without capacityInBytes is null in upstream's listing; ours
        // falls back to capacityInKB × 1024 (vcsim's model disks are 1024 KB).
        var ourTree = JsonNode.Parse(ours)!;
        foreach (var vm in ModelVms)
        {
            var disk = ourTree["ha-datacenter"]!["vms"]![vm]!["disks"]![0]!;
            theirs["vms"]![vm]!["disks"]![0]!["capacity"].Should().BeNull();
            disk["capacity"]!.GetValue<long>().Should().Be(1024 * 1024);
            disk.AsObject()["capacity"] = null;
        }

        JsonKeys.Sorted(ourTree.ToJsonString()).Should().Be(walk.Stdout, "our JSON must equal pyvmomi's after key sorting");
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_the_upstream_line_although_vcsim_words_the_fault_differently()
    {
        var ready = vcsim.Peer.Ready;
        using var password = new TempFile("not-" + ready.Password);
        var walk = await PyvmomiWalkTests.RunWalkAsync(ready.Port, password.Path, "--skip-cert-verification");
        var (exit, ours, errors) = await ListAsync(ready, password.Path);

        walk.Exit.Should().Be(1);
        exit.Should().Be(1);
        ours.Should().BeEmpty();
        errors.Should().Be("failed to login due to an incorrect username or password\n").And.Be(walk.Stderr);
    }
}
