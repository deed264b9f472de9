using EsxiImport.FieldReport.Har;
using EsxiImport.IntegrationTests.Fuse;

namespace EsxiImport.IntegrationTests.Replay;

/// <summary>
/// Record → replay with the real programs: <c>esxi-listvms --record</c> against the emulator on a
/// scenario with faults, then <c>esxi-emulator --replay</c> of that recording on the same port:
/// the listing prints the same bytes, exit code and notices; and so does the emulator serving the
/// scenario file <c>--recording-to-scenario</c> makes of the recording.
/// </summary>
public sealed class ReplayListingTests
{
    public static readonly string ListingTool = Path.Combine(AppContext.BaseDirectory, "esxi-listvms");

    /// <summary>
    /// A VM whose .vmx the host no longer has, a 503 burst on the disks, a disk on a second
    /// datastore, a vCLS agent and a VM whose configuration cannot be read (both skipped by the
    /// listing with a notice), and a second VM named alpha in a folder of its own, as a real host
    /// allows (the listing keeps the first, with a notice; it has no disk, so the 503 burst on
    /// the disks hits the same requests as without it).
    /// </summary>
    public const string FaultyScenario = """
        name: faulty
        users:
          - { name: root, password: "s3cret!" }
        datacenters:
          - name: ha-datacenter
            datastores:
              - name: datastore1
              - name: "Local SSD (1)"
            vms:
              - name: alpha
                datastore: datastore1
                disks:
                  - { slot: scsi0:0, capacity: 2MiB, content: { kind: pattern, seed: 1 } }
                  - { slot: scsi0:1, datastore: "Local SSD (1)", path: alpha/alpha_1.vmdk, capacity: 1MiB, content: { kind: sparse, seed: 2, stride: 256KiB } }
              - name: "nö vmx"
                datastore: datastore1
                disks:
                  - { slot: scsi0:0, capacity: 1MiB, content: { kind: pattern, seed: 3 } }
              - name: vCLS-1
                datastore: datastore1
                extraConfig: { HDCS.agent: "true" }
              - name: unreadable
                datastore: datastore1
                configUnavailable: true
              - name: alpha
                datastore: datastore1
                folder: alpha_1
        faults:
          - { endpoint: folder, method: "*", match: "nö vmx/nö vmx.vmx", trigger: always, action: "status:404" }
          - { endpoint: folder, method: GET, match: "*-flat.vmdk", trigger: "skip:1:2", action: "status:503", body: "503 Service Unavailable (busy)" }
        """;

    public static string WriteScenario(TempDir dir)
    {
        var path = Path.Combine(dir.Path, "faulty.yaml");
        File.WriteAllText(path, FaultyScenario);
        return path;
    }

    [Theory]
    [InlineData(new string[0], "Duplicate VM name alpha in datacenter ha-datacenter: keeping the first one")]
    [InlineData(new[] { "--fault", "sdk:POST:RetrievePropertiesEx:first:1:status:503:503 Service Unavailable" }, "unexpected HTTP status 503")]
    [InlineData(new[] { "--fault", "sdk:POST:CreateContainerView:first:1:soap-fault:NotAuthenticated" }, "CreateContainerView failed: NotAuthenticated")]
    public async Task A_replayed_listing_and_the_scenario_made_from_the_recording_print_what_the_recorded_one_printed(string[] faults, string seen)
    {
        using var dir = new TempDir("replay-listing-");
        using var runner = new ProcessRunner();
        var har = Path.Combine(dir.Path, "listing.har");

        var original = await EmulatorProcess.StartAsync(runner, ["--scenario", WriteScenario(dir), .. faults]);
        var recorded = await ListAsync(runner, dir, original, "--record", har);
        (await original.StopAsync()).Should().Be(0);
        recorded.Stderr.Should().Contain(seen);
        HarDocument.Load(har).Log.Entries.Should().NotBeEmpty();

        // Errors name host and port, so the replay listens where the original did.
        var replay = await EmulatorProcess.StartAsync(runner, "--replay", har, "--listen", "127.0.0.1:" + original.PortText);
        replay.User.Should().Be(original.User);
        var replayed = await ListAsync(runner, dir, replay);
        (await replay.StopAsync()).Should().Be(0);

        replayed.ExitCode.Should().Be(recorded.ExitCode, replayed.Stderr);
        replayed.Stdout.Should().Equal(recorded.Stdout);
        replayed.Stderr.Should().Be(recorded.Stderr);

        // The same recording as a scenario file (and a case skeleton): the emulator serving that
        // file lists the same too, its inventory and SOAP faults rebuilt from the answers.
        var caseDir = Path.Combine(dir.Path, "case");
        var converted = await runner.RunAsync(EmulatorProcess.Program, ["--recording-to-scenario", har, "--out", caseDir]);
        converted.ExitCode.Should().Be(0, converted.Stderr);
        converted.StdoutText.Should().Be($"wrote {caseDir}/scenario.yaml\nwrote {caseDir}/case.yaml\n");
        (await File.ReadAllTextAsync(Path.Combine(caseDir, "case.yaml"))).Should().Contain("tool: listing\nscenario: scenario.yaml\n");
        var fromScenario = await EmulatorProcess.StartAsync(runner, "--scenario", Path.Combine(caseDir, "scenario.yaml"), "--listen", "127.0.0.1:" + original.PortText);
        var relisted = await ListAsync(runner, dir, fromScenario);
        (await fromScenario.StopAsync()).Should().Be(0);
        relisted.ExitCode.Should().Be(recorded.ExitCode, relisted.Stderr);
        relisted.Stdout.Should().Equal(recorded.Stdout);
        relisted.Stderr.Should().Be(recorded.Stderr);
    }

    public static async Task<ProcessResult> ListAsync(ProcessRunner runner, TempDir dir, EmulatorProcess host, params string[] extra)
    {
        var password = Path.Combine(dir.Path, "password-" + host.Port);
        await File.WriteAllTextAsync(password, host.Password);
        return await runner.RunAsync(ListingTool, [.. extra, "--skip-cert-verification", "--port", host.PortText, "127.0.0.1", host.User, password], timeoutSeconds: 60);
    }
}
