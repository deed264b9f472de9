using EsxiImport.IntegrationTests.Fuse;
using EsxiImport.IntegrationTests.Golden;
using EsxiImport.IntegrationTests.Plugin;

namespace EsxiImport.IntegrationTests.Mount;

/// <summary>
/// A caller that captures the output of a plugin-like launcher (<c>out=$(launcher …)</c>) gets
/// its answer at ready, not at the unmount: the daemon lets go of the stdin, stdout and stderr it
/// inherited (they point to /dev/null), so the capture pipe has no writer left.
/// </summary>
[Collection("fuse mounts")]
public sealed class CallerCaptureTests
{
    [Fact]
    public async Task A_shell_capture_of_the_launcher_returns_at_ready_while_the_mount_lives_on()
    {
        await using var m = await ToolMount.StartEmulatorAsync(MountScenarios.Small());
        var mnt = Path.Combine(m.Directory, "mnt");
        Directory.CreateDirectory(mnt);
        using var runner = new ProcessRunner();

        // Today's plugin launch through the Perl harness, its stderr (which the tool inherits) in the capture.
        const string script = """export ESXI_FUSE_SYSLOG_SOCKET="$8"; out=$(perl "$1" --variant today --timeout 30 --skip-cert-verification --user "$2" --password-file "$3" "$4" "$5" "$6" -- "$7" 2>&1); printf '%s' "$out" """;
        string[] args = ["-c", script, "bash", ToolUnderTest.HarnessPath, m.Host.User.Name, m.PasswordPath, m.Host.BaseUri.Authority, m.ManifestPath, mnt, ToolUnderTest.ToolPath, m.SyslogPath];
        try
        {
            var result = await runner.RunAsync("/bin/bash", args, timeoutSeconds: 45);
            // The capture ended while the daemon lives: it holds no copy of the capture pipe.
            result.StdoutText.Should().Be("ok", result.Stderr);
            var tool = ToolProcesses.Find(m.Directory).Should().ContainSingle("the daemon serves on after the capture ended").Which;
            ToolMount.IsMountedAt(mnt).Should().BeTrue();
            foreach (var fd in new[] { 0, 1, 2 })
            {
                new FileInfo($"/proc/{tool}/fd/{fd}").LinkTarget.Should().Be("/dev/null", $"fd {fd} is not the caller's any more");
            }

            await ToolMount.SignalAsync(tool, "TERM");
            (await ToolProcesses.WaitGoneAsync(m.Directory, TimeSpan.FromSeconds(15))).Should().BeTrue();
            (await ToolMount.UmountAsync(mnt)).Should().Be(0, "SIGTERM leaves the mount for the caller's umount");
            ToolMount.IsMountedAt(mnt).Should().BeFalse();
        }
        finally
        {
            // Whatever failed: no daemon and no mount outlive the test.
            foreach (var pid in ToolProcesses.Find(m.Directory))
            {
                ToolProcesses.Kill(pid);
            }

            await ToolProcesses.WaitGoneAsync(m.Directory, TimeSpan.FromSeconds(10));
            await Shell.RunAsync("umount -l \"$1\" 2>/dev/null; true", mnt);
        }
    }
}
