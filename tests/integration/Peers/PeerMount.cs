using System.Diagnostics;

using EsxiImport.Diagnostics;
using EsxiImport.Fuse.Native;
using EsxiImport.IntegrationTests.Golden;
using EsxiImport.IntegrationTests.Mount;
using EsxiImport.IntegrationTests.Plugin;
using EsxiImport.IntegrationTests.Support;
using EsxiImport.TestSupport.Plugin;

namespace EsxiImport.IntegrationTests.Peers;

/// <summary>
/// esxi-folder-fuse on a host this project did not write, started exactly as the plugin starts it
/// (the Perl harness, today's double fork, <c>--change-user nobody</c>), with a manifest written by
/// the caller. Owns a temp folder (manifest, password file, mount path, syslog socket). Dispose
/// kills any tool still running, detaches the mount and deletes the folder, whether the test
/// passed or not.
/// </summary>
public sealed class PeerMount : IAsyncDisposable
{
    private readonly SyslogSink _syslog;

    private PeerMount(string manifestJson, string password)
    {
        Dir = Directory.CreateTempSubdirectory("esxi-peer-").FullName;
        File.SetUnixFileMode(Dir, (UnixFileMode)0b111_101_101); // the tool runs as nobody after the mount
        Directory.CreateDirectory(MountPath);
        File.WriteAllText(ManifestPath, manifestJson);
        File.WriteAllText(PasswordPath, password);
        File.SetUnixFileMode(PasswordPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _syslog = new SyslogSink(SyslogPath);
        File.SetUnixFileMode(SyslogPath, (UnixFileMode)0b110_110_110);
    }

    public string Dir { get; }

    public string MountPath => Path.Combine(Dir, "mnt");

    public string ManifestPath => Path.Combine(Dir, "manifest.json");

    public string PasswordPath => Path.Combine(Dir, "esxi.pw");

    public string SyslogPath => Path.Combine(Dir, "log");

    /// <summary>From the harness's start to its verdict (the plugin's wait for the ready fd).</summary>
    public TimeSpan MountTime { get; private set; }

    public static PeerMount Create(string manifestJson, string password) => new(manifestJson, password);

    /// <summary>Mounts as the plugin does; returns the plugin's verdict: "ok" or the message it would die with.</summary>
    public async Task<string> MountAsync(string host, string user)
    {
        var clock = Stopwatch.StartNew();
        var verdict = await PerlHarness.RunAsync(new PluginLaunchRequest
        {
            ToolCommand = [ToolUnderTest.ToolPath],
            Host = host,
            ManifestPath = ManifestPath,
            MountPath = MountPath,
            User = user,
            PasswordFile = PasswordPath,
            SkipCertificateVerification = true,
            Variant = PluginVariant.Today,
            Timeout = TimeSpan.FromSeconds(60),
            Environment = new Dictionary<string, string> { ["ESXI_FUSE_SYSLOG_SOCKET"] = SyslogPath },
        });
        MountTime = clock.Elapsed;
        return verdict;
    }

    public bool IsMounted => ToolMount.IsMountedAt(MountPath);

    /// <summary>Every syslog record received so far (message part only), in order of arrival.</summary>
    public IReadOnlyList<string> Syslog() => _syslog.Records();

    /// <summary>Waits for the "VM checks finished" record; null when it did not come in time.</summary>
    public Task<string?> WaitForVmChecksAsync(TimeSpan deadline) =>
        _syslog.WaitForAsync(Messages.Format("esxi-folder-fuse.vm.checked", ("count", "\u0001"), ("broken", "\u0001")).Split('\u0001')[0], deadline);

    /// <summary>
    /// Unmounts as the plugin's esxi_unmount does: SIGTERM to the tool, then <c>/bin/umount</c> of
    /// the mount path the tool left for it. Returns whether every tool process was gone within the
    /// deadline and that umount succeeded.
    /// </summary>
    public async Task<bool> StopToolAsync(TimeSpan deadline)
    {
        foreach (var pid in ToolProcesses.Find(Dir))
        {
            await ToolMount.SignalAsync(pid, "TERM");
        }

        return await ToolProcesses.WaitGoneAsync(Dir, deadline) && await ToolMount.UmountAsync(MountPath) == 0;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pid in ToolProcesses.Find(Dir))
        {
            ToolProcesses.Kill(pid);
        }

        await ToolProcesses.WaitGoneAsync(Dir, TimeSpan.FromSeconds(10));
        for (var i = 0; i < 8 && LibC.Umount2(MountPath, LibC.MNT_DETACH) == 0; i++)
        {
        }

        _syslog.Dispose();
        Directory.Delete(Dir, recursive: true);
    }
}
