namespace EsxiImport.IntegrationTests.Mount;

/// <summary>FB-13: one VM whose .vmx the host no longer has does not keep the others from mounting.</summary>
[Collection("fuse mounts")]
public sealed class BrokenVmTests
{
    [Fact]
    public async Task The_mount_is_ready_the_warning_has_the_chain_and_only_that_vm_fails()
    {
        await using var m = await ToolMount.StartAsync(options: new ToolMountOptions
        {
            Environment = ToolMount.FastHttp,
            FaultRules = [$"folder:*:{MountScenarios.BrokenVmx}:always:status:404"],
        });

        var warning = await m.WaitForSyslogAsync(r => r.Contains(MountScenarios.BrokenVm, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var lines = warning.Split('\n');
        lines.Length.Should().BeGreaterThan(1, "the whole chain is logged: " + warning);
        lines[0].Should().Contain(MountScenarios.BrokenVm);
        lines.Skip(1).Should().OnlyContain(l => l.StartsWith(' '));
        warning.Should().Contain(MountScenarios.BrokenVmx);
        (await m.WaitForSyslogAsync(r => r.StartsWith("VM checks finished: ", StringComparison.Ordinal), TimeSpan.FromSeconds(30)))
            .Should().Contain("1 with problems");

        var broken = await Shell.RunAsync("cat \"$1\"", m.PathOf(MountScenarios.DiskDatastore, MountScenarios.BrokenVmx));
        broken.ExitCode.Should().NotBe(0);

        var good = await File.ReadAllBytesAsync(m.PathOf(MountScenarios.DiskDatastore, "alpha/alpha.vmx"));
        good.Should().Equal(m.Expected(MountScenarios.DiskDatastore, "alpha/alpha.vmx"));
        var brokenDisk = await File.ReadAllBytesAsync(m.PathOf(MountScenarios.DiskDatastore, "broken/broken-flat.vmdk"));
        brokenDisk.Should().Equal(m.Expected(MountScenarios.DiskDatastore, "broken/broken-flat.vmdk"), "only the missing file fails");
    }
}
