using System.Diagnostics;

namespace EsxiImport.IntegrationTests.Mount;

/// <summary>
/// The mount exists before the host connection (upstream's order). Requests that arrive in
/// between wait for the connection and are then served, or get EIO when it fails, and the tool
/// still exits and unmounts.
/// </summary>
[Collection("fuse mounts")]
public sealed class ConnectingTests
{
    private const string OtherVmx = "100%/100%.vmx";

    [Fact]
    public async Task A_lookup_while_connecting_is_answered_once_connected()
    {
        // --strict checks every VM before ready; a slow .vmx keeps the tool connecting for 3 s.
        await using var m = await ToolMount.StartAsync(options: new ToolMountOptions
        {
            ExtraArguments = ["--strict"],
            FaultRules = ["folder:GET:alpha/alpha.vmx:first:1:delay:3000"],
            WaitForReady = false,
        });
        await WaitUntilMountedAsync(m);
        m.ReadyText.IsCompleted.Should().BeFalse("the slow check is still running");

        var stat = await Shell.RunAsync("stat -c %s \"$1\"", m.PathOf(MountScenarios.DiskDatastore, OtherVmx));

        // The ready fd reaches EOF just after the connection is handed over, so it may trail the
        // answer by a moment; a lookup answered without waiting would lead it by the rest of the 3 s.
        var sinceAnswer = Stopwatch.StartNew();
        (await m.ReadyText.WaitAsync(TimeSpan.FromSeconds(30))).Should().BeEmpty();
        sinceAnswer.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1.5), "the lookup needed the connection, which comes with ready");
        stat.ExitCode.Should().Be(0, stat.Stderr);
        stat.StdoutText.Trim().Should().Be(m.ExpectedLength(MountScenarios.DiskDatastore, OtherVmx).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_lookup_while_a_failing_connect_runs_gets_EIO_and_the_tool_still_exits()
    {
        await using var m = await ToolMount.StartAsync(options: new ToolMountOptions
        {
            ExtraArguments = ["--strict"],
            Environment = ToolMount.FastHttp,
            FaultRules = ["folder:GET:alpha/alpha.vmx:always:delay:3000"],
            WaitForReady = false,
        });
        await WaitUntilMountedAsync(m);

        var clock = Stopwatch.StartNew();
        var stat = await Shell.RunAsync("stat \"$1\"", m.PathOf(MountScenarios.DiskDatastore, OtherVmx));
        stat.ExitCode.Should().NotBe(0);
        stat.Stderr.Should().Contain("Input/output error");
        (await m.ReadyText).Should().StartWith("ERROR: ");
        (await m.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().BeTrue("no request holds up the unmount");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20));
        m.Tool.ExitCode.Should().Be(255);
        m.IsMounted().Should().BeFalse();
    }

    private static async Task WaitUntilMountedAsync(ToolMount m)
    {
        var clock = Stopwatch.StartNew();
        while (!m.IsMounted())
        {
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "the tool mounts before it connects");
            await Task.Delay(20);
        }
    }
}
