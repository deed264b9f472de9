using System.Text.Json;

using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Cli;
using EsxiImport.EsxiFuse.Diagnose;
using EsxiImport.VmxParser.Manifest;

namespace EsxiImport.UnitTests.Diagnose;

/// <summary><c>--diagnose</c> in-process against the emulated host: the steps, the verdict and both renderings.</summary>
public sealed class DiagnoseRunTests
{
    [Fact]
    public async Task A_healthy_host_passes_every_step_and_reports_the_host_and_the_vms()
    {
        await using var box = await DiagnoseHost.StartAsync();
        var (exit, stdout, stderr) = await DiagnoseHost.RunAsync(box.Args(extra: "--diagnose"));

        exit.Should().Be(0);
        stderr.Should().BeEmpty();
        stdout.Should().Contain("✔ manifest").And.Contain("✔ login").And.Contain("✔ mount path").And.Contain("⚠ TLS");
        stdout.Should().Contain("VMware ESXi 8.0.3 build-24022510").And.Contain("HTTP/2, HTTP/1.1").And.Contain("Accept-Ranges   bytes");
        stdout.Should().Contain("[datastore1] db01/db01-flat.vmdk (128 MiB)").And.Contain("none up to 8 parallel streams");
        stdout.Should().Contain("risk: NVMe disks (nvme0:0)").And.Contain("risk: the VM is suspended");
        stdout.Should().Contain("✔ a mount with these arguments would come up (exit 0)");
        stdout.Should().NotContain(box.Emulator.User.Password).And.NotContain("\u001b[", "colour only on a terminal");
    }

    [Fact]
    public async Task The_json_report_holds_the_same_facts_and_no_secret()
    {
        await using var box = await DiagnoseHost.StartAsync();
        var (exit, stdout, _) = await DiagnoseHost.RunAsync(box.Args(mountPath: false, "--diagnose-json", "--diagnose-quick"));

        exit.Should().Be(0);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        root.GetProperty("schema").GetString().Should().Be(ReportJson.Schema);
        root.GetProperty("mountWouldSucceed").GetBoolean().Should().BeTrue();
        root.GetProperty("quick").GetBoolean().Should().BeTrue();
        root.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("id").GetString()).Should().Equal(
            "arguments", "manifest", "accounts", "mount-options", "mount-path", "tls", "login", "datastores", "vm-checks");
        root.GetProperty("steps")[4].GetProperty("status").GetString().Should().Be("skipped");
        var host = root.GetProperty("host");
        host.GetProperty("build").GetString().Should().Be("24022510");
        host.GetProperty("acceptRanges").GetString().Should().Be("bytes");
        host.GetProperty("oneStream").ValueKind.Should().Be(JsonValueKind.Null, "--diagnose-quick measures nothing");
        host.GetProperty("measurementNote").GetString().Should().Contain("--diagnose-quick");
        var sleepy = root.GetProperty("vms").EnumerateArray().Single(v => v.GetProperty("name").GetString() == "sleepy");
        sleepy.GetProperty("risks").EnumerateArray().Select(r => r.GetProperty("id").GetString()).Should().Equal("nvme", "suspended");
        stdout.Should().NotContain(box.Emulator.User.Password).And.NotContain("Basic ").And.NotContain("vmware_soap_session");
    }

    [Fact]
    public async Task A_wrong_password_fails_the_login_with_the_mounts_error_and_what_to_do()
    {
        await using var box = await DiagnoseHost.StartAsync();
        await File.WriteAllTextAsync(box.PasswordPath, "not-the-password");
        var (exit, stdout, _) = await DiagnoseHost.RunAsync(box.Args(extra: "--diagnose-quick"));

        exit.Should().Be(255);
        stdout.Should().Contain("✘ login           failed to connect to ESXi host " + box.Host);
        stdout.Should().Contain("→ check the user name and the password");
        stdout.Should().Contain("– datastores      not run: the login failed");
        stdout.Should().EndWith("  Error: failed to connect to ESXi host " + box.Host + "\n");
        stdout.Should().NotContain("not-the-password");
    }

    [Fact]
    public async Task Local_failures_are_reported_and_the_first_decides_the_error()
    {
        await using var box = await DiagnoseHost.StartAsync();
        var args = box.Args(mountPath: false, "--diagnose-quick", "--change-user", "no-such-user-here", "-o", "allow_other");
        args[^1] = Path.Combine(box.Dir, "missing.json");
        var (exit, stdout, _) = await DiagnoseHost.RunAsync([.. args, Path.Combine(box.Dir, "no-such-dir")]);

        exit.Should().Be(255);
        stdout.Should().Contain("✘ manifest        failed to read manifest");
        stdout.Should().Contain("✘ user/group");
        stdout.Should().Contain("✔ mount options   allow_other");
        stdout.Should().Contain("✘ mount path");
        stdout.Should().Contain("– login           not run: no manifest");
        stdout.Should().Contain("Error: failed to read manifest");
    }

    [Fact]
    public async Task With_strict_a_broken_vm_fails_as_the_mount_would_and_without_it_warns()
    {
        await using var box = await DiagnoseHost.StartAsync(null, "folder:GET:db01/db01.vmx:always:status:404");
        var (strictExit, strict, _) = await DiagnoseHost.RunAsync(box.Args(extra: ["--diagnose-quick", "--strict"]));
        var (lenientExit, lenient, _) = await DiagnoseHost.RunAsync(box.Args(extra: "--diagnose-quick"));

        strictExit.Should().Be(255);
        strict.Should().Contain("✘ VM checks       failed to check VM \"db01\" of datacenter \"ha-datacenter\"");
        strict.Should().EndWith("  Error: failed to check VM \"db01\" of datacenter \"ha-datacenter\"\n");
        lenientExit.Should().Be(0);
        lenient.Should().Contain("⚠ VM checks       VM checks finished: 3 checked, 1 with problems");
        lenient.Should().Contain(".vmx [datastore1] db01/db01.vmx: ");
    }

    [Fact]
    public async Task A_mount_already_at_the_path_is_a_warning_and_left_alone()
    {
        await using var box = await DiagnoseHost.StartAsync();
        var args = box.Args(extra: "--diagnose-quick");
        args[^1] = "/proc";
        var (exit, stdout, _) = await DiagnoseHost.RunAsync(args);

        exit.Should().Be(0);
        stdout.Should().Contain("⚠ mount path      \"/proc\" has a proc mount on it; a mount would detach it first");
    }

    [Fact]
    public async Task A_host_that_does_not_answer_is_a_tls_failure_and_the_mounts_connect_error()
    {
        await using var box = await DiagnoseHost.StartAsync();
        var port = box.Emulator.BaseUri.Port;
        await box.Emulator.DisposeAsync();
        var (exit, stdout, _) = await DiagnoseHost.RunAsync(box.Args(extra: "--diagnose-quick"));

        exit.Should().Be(255);
        stdout.Should().Contain("✘ TLS             no TLS session with 127.0.0.1:" + port);
        stdout.Should().Contain("unknown (neither /sdk nor /sdk/vimServiceVersions.xml answered)");
        stdout.Should().Contain("Error: failed to connect to ESXi host 127.0.0.1:" + port);
    }

    [Theory]
    [InlineData("--diagnose")]
    [InlineData("--diagnose-json")]
    public async Task With_redact_no_host_datacenter_datastore_or_vm_name_is_left_and_the_placeholders_stay_consistent(string mode)
    {
        await using var box = await DiagnoseHost.StartAsync(null, "folder:GET:db01/db01.vmx:always:status:404");
        var (plainExit, plain, _) = await DiagnoseHost.RunAsync(box.Args(extra: [mode, "--diagnose-quick"]));
        var (exit, stdout, _) = await DiagnoseHost.RunAsync(box.Args(extra: [mode, "--diagnose-quick", "--redact"]));

        exit.Should().Be(plainExit);
        var manifest = ManifestJson.Parse(await File.ReadAllBytesAsync(box.ManifestPath), box.ManifestPath);
        var names = manifest.Datacenters.Keys
            .Concat(manifest.Datacenters.Values.SelectMany(dc => dc.Datastores.Keys.Concat(dc.Vms.Keys)))
            .Append("127.0.0.1")
            .ToList();
        names.Should().Contain(["db01", "ha-datacenter", "datastore1"], "the default scenario's names");
        foreach (var name in names)
        {
            plain.Should().Contain(mode == "--diagnose" ? name : JsonEncodedText.Encode(name, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString());
            stdout.Should().NotContain(name, "every name is replaced");
        }

        stdout.Should().Contain("vm-1").And.Contain("datastore-1").And.Contain("datacenter-1").And.Contain("host-1");
        stdout.Should().NotContain(box.Emulator.User.Password);
        if (mode == "--diagnose-json")
        {
            JsonDocument.Parse(stdout).RootElement.GetProperty("redacted").GetBoolean().Should().BeTrue();
        }
        else
        {
            stdout.Should().NotContain("\u001b[", "a redacted report is plain text");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Record_writes_the_exchange_as_har_without_secrets_and_redacts_it_like_the_report(bool redact)
    {
        await using var box = await DiagnoseHost.StartAsync();
        var file = Path.Combine(box.Dir, "diagnose.har");
        string[] extra = redact ? ["--diagnose-quick", "--record", file, "--redact"] : ["--diagnose-quick", "--record", file];
        var (exit, stdout, _) = await DiagnoseHost.RunAsync(box.Args(mountPath: false, extra));

        exit.Should().Be(0);
        var har = await File.ReadAllTextAsync(file);
        using var json = JsonDocument.Parse(har);
        var urls = json.RootElement.GetProperty("log").GetProperty("entries").EnumerateArray()
            .Select(e => e.GetProperty("request").GetProperty("url").GetString()!).ToList();
        urls.Should().Contain(u => u.Contains("/folder/", StringComparison.Ordinal)).And.Contain(u => u.EndsWith("/sdk", StringComparison.Ordinal));
        var basic = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(box.Emulator.User.Name + ":" + box.Emulator.User.Password));
        har.Should().NotContain(box.Emulator.User.Password).And.NotContain(basic).And.Contain("Basic (removed)");
        if (redact)
        {
            foreach (var name in new[] { "db01", "ha-datacenter", "datastore1", "127.0.0.1" })
            {
                har.Should().NotContain(name);
                stdout.Should().NotContain(name);
            }

            // One redactor for both: the VM the report calls vm-1 is vm-1 in the recording too.
            stdout.Should().Contain("vm-1/vm-1.vmx");
            har.Should().Contain("/folder/vm-1/vm-1.vmx?dcPath=datacenter-1&dsName=datastore-1");
        }
        else
        {
            har.Should().Contain("/folder/db01/db01%2Evmx?dcPath=ha%2Ddatacenter&dsName=datastore1");
        }
    }

    [Theory]
    [InlineData("--redact")]
    [InlineData("--record=x")]
    public void Report_options_alone_are_argument_errors(string option)
    {
        var act = () => ArgumentParser.Parse([option, "h", "m", "p"]);
        act.Should().Throw<ToolError>().WithMessage($"the '{option.Split('=')[0]}' option only changes a report; add --diagnose");
    }

    [Fact]
    public void The_mount_path_may_be_left_out_only_for_a_diagnosis()
    {
        ArgumentParser.Parse(["--diagnose", "h", "m"]).Should().BeOfType<CommandLine.Diagnose>()
            .Which.Arguments.MountPath.Should().BeEmpty();
        var act = () => ArgumentParser.Parse(["h", "m"]);
        act.Should().Throw<ToolError>().WithMessage("missing mount path");
    }
}
