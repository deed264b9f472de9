using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

using EsxiImport.Emulator.Datastore;
using EsxiImport.Emulator.Http;
using EsxiImport.Emulator.Inventory;
using EsxiImport.Emulator.Scenarios;
using EsxiImport.VmxParser.Manifest;

namespace EsxiImport.IntegrationTests.Mount;

/// <summary>What to start: extra arguments, environment and emulator fault rules.</summary>
public sealed record ToolMountOptions
{
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    public IReadOnlyList<string> FaultRules { get; init; } = [];

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Mount into this directory instead of a fresh one (the stale-mount test reuses one).</summary>
    public string? MountPoint { get; init; }

    /// <summary>False: return once the tool runs; <see cref="ToolMount.ReadyText"/> completes at EOF on the ready fd.</summary>
    public bool WaitForReady { get; init; } = true;
}

/// <summary>
/// An in-process emulator, the manifest a correct listing of it gives, a syslog socket owned by
/// the test, and the built <c>esxi-folder-fuse</c> mounted with <c>--ready-fd</c>. Dispose always
/// stops the tool (SIGTERM, then SIGKILL), detaches whatever is still mounted, stops the emulator
/// and deletes the scratch directory, whether the test passed or not.
/// </summary>
public sealed class ToolMount : IAsyncDisposable
{
    /// <summary>Client settings that make failures fast: attempts × (timeout + delay) stays a few seconds.</summary>
    public static readonly IReadOnlyDictionary<string, string> FastHttp = new Dictionary<string, string>
    {
        ["ESXI_FUSE_CONNECT_TIMEOUT_MS"] = "2000",
        ["ESXI_FUSE_REQUEST_TIMEOUT_MS"] = "1500",
        ["ESXI_FUSE_MAX_ATTEMPTS"] = "3",
        ["ESXI_FUSE_RETRY_DELAY_MS"] = "50",
    };

    private readonly Socket _syslog = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly ConcurrentQueue<string> _records = new();
    private readonly CancellationTokenSource _stopSyslog = new();
    private readonly StringBuilder _stderr = new();
    private readonly List<Process> _processes = [];
    private Task? _syslogLoop;

    private ToolMount(EmulatorHost host, string directory)
    {
        Host = host;
        Directory = directory;
    }

    public EmulatorHost Host { get; }

    /// <summary>The tool under test (see <see cref="Plugin.ToolUnderTest.ToolPath"/>).</summary>
    public static string ToolPath => Plugin.ToolUnderTest.ToolPath;

    public string Directory { get; }

    public string MountPoint { get; private set; } = "";

    public string ManifestPath => System.IO.Path.Combine(Directory, "manifest.json");

    public string PasswordPath => System.IO.Path.Combine(Directory, "esxi.pw");

    public string SyslogPath => System.IO.Path.Combine(Directory, "log");

    public Manifest Manifest { get; private set; } = null!;

    /// <summary>The running tool (the last one started).</summary>
    public Process Tool { get; private set; } = null!;

    /// <summary>What the tool wrote to the ready fd, complete at EOF: empty when it became ready.</summary>
    public Task<string> ReadyText { get; private set; } = Task.FromResult(string.Empty);

    /// <summary>How long from exec to EOF on the ready fd.</summary>
    public TimeSpan StartupTime { get; private set; }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Syslog records received so far (message part after <c>tag[pid]: </c>).</summary>
    public IReadOnlyList<string> SyslogRecords => [.. _records];

    public static async Task<ToolMount> StartAsync(Scenario? scenario = null, ToolMountOptions? options = null)
    {
        options ??= new ToolMountOptions();
        scenario ??= MountScenarios.Small();
        var host = await EmulatorHost.StartAsync(scenario, new EmulatorOptions { FaultRules = options.FaultRules });
        var dir = System.IO.Directory.CreateTempSubdirectory("esxi-mount-").FullName;

        // --change-user tests: the tool becomes nobody, who must reach the mount point and the syslog socket.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        }

        var mount = new ToolMount(host, dir);
        try
        {
            mount.Prepare(scenario);
            await mount.LaunchAsync(options);
            return mount;
        }
        catch
        {
            await mount.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts another tool on the same emulator and manifest (after a crash, for instance).</summary>
    public Task LaunchAsync(ToolMountOptions options)
    {
        MountPoint = options.MountPoint ?? System.IO.Path.Combine(Directory, "mnt");
        if (!IsMountedAt(MountPoint))
        {
            // A stale mount (ENOTCONN) cannot be stat'ed; it is the tool's job to detach it.
            System.IO.Directory.CreateDirectory(MountPoint);
        }

        var args = new List<string>
        {
            "--ready-fd", "3",
            "--skip-cert-verification",
            "--user", Host.User.Name,
            "--password-file", PasswordPath,
            "--log-level", "info",
        };
        args.AddRange(options.ExtraArguments);
        args.AddRange([Host.BaseUri.Authority, ManifestPath, MountPoint]);
        return StartToolAsync(args, options.Environment, options.WaitForReady);
    }

    /// <summary>The expected bytes of a datastore file, from the emulator's generator.</summary>
    public byte[] Expected(string datastore, string path)
    {
        var file = (DatastoreFile)Host.Datastores.Find(MountScenarios.Datacenter, datastore)!.Find(path)!;
        var bytes = new byte[file.Length];
        file.Content.Read(0, bytes);
        return bytes;
    }

    public long ExpectedLength(string datastore, string path) =>
        ((DatastoreFile)Host.Datastores.Find(MountScenarios.Datacenter, datastore)!.Find(path)!).Length;

    /// <summary>The path of a datastore file under the mount.</summary>
    public string PathOf(string datastore, string path = "") =>
        System.IO.Path.Combine(MountPoint, MountScenarios.Datacenter, datastore, path);

    /// <summary>Waits until a syslog record satisfies <paramref name="match"/>; returns it.</summary>
    public async Task<string> WaitForSyslogAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_records.FirstOrDefault(match) is { } record)
            {
                return record;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("no matching syslog record within " + timeout + "; got:\n" + string.Join("\n---\n", _records));
    }

    public bool IsMounted() => IsMountedAt(MountPoint);

    public static bool IsMountedAt(string path) =>
        File.ReadAllLines("/proc/mounts").Any(l => l.Split(' ') is { Length: > 2 } f && f[1] == path);

    /// <summary>Sends a signal with kill(1) (the test runs as root).</summary>
    public static async Task SignalAsync(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
    }

    /// <summary>Waits for the tool to exit; false when it did not within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await Tool.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _processes)
        {
            await StopAsync(p);
        }

        if (MountPoint.Length > 0 && IsMounted())
        {
            using var umount = Process.Start("umount", ["-l", MountPoint])!;
            await umount.WaitForExitAsync();
        }

        await _stopSyslog.CancelAsync();
        _syslog.Dispose();
        if (_syslogLoop is not null)
        {
            await _syslogLoop.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        await Host.DisposeAsync();
        if (MountPoint.Length == 0 || !IsMounted())
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }

        _stopSyslog.Dispose();
    }

    private static async Task StopAsync(Process p)
    {
        if (!p.HasExited)
        {
            await SignalAsync(p.Id, "TERM");
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await p.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                p.Kill(entireProcessTree: true);
                await p.WaitForExitAsync();
            }
        }

        p.Dispose();
    }

    private void Prepare(Scenario scenario)
    {
        Manifest = ExpectedManifest.From(scenario);
        File.WriteAllText(ManifestPath, ManifestJson.Serialize(Manifest));
        File.WriteAllText(PasswordPath, Host.User.Password + "\n");
        _syslog.Bind(new UnixDomainSocketEndPoint(SyslogPath));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(SyslogPath, (UnixFileMode)0b110_110_110);
        }

        _syslogLoop = Task.Run(ReceiveSyslogAsync);
    }

    private async Task ReceiveSyslogAsync()
    {
        var buffer = new byte[65536];
        while (!_stopSyslog.IsCancellationRequested)
        {
            var n = await _syslog.ReceiveAsync(buffer, SocketFlags.None, _stopSyslog.Token);
            var text = Encoding.UTF8.GetString(buffer, 0, n);
            var start = text.IndexOf("]: ", StringComparison.Ordinal);
            _records.Enqueue(start < 0 ? text : text[(start + 3)..]);
        }
    }

    /// <summary>
    /// Runs the tool through <c>sh</c> so that fd 3 is the write end of a pipe whose read end is
    /// our stdout: EOF there is "ready", a line there is the early error.
    /// </summary>
    private async Task StartToolAsync(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment, bool waitForReady)
    {
        var info = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec \"$@\" 3>&1 1>/dev/null");
        info.ArgumentList.Add("sh");
        info.ArgumentList.Add(ToolPath);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["ESXI_FUSE_SYSLOG_SOCKET"] = SyslogPath;
        foreach (var (k, v) in environment)
        {
            info.Environment[k] = v;
        }

        var clock = Stopwatch.StartNew();
        var process = Process.Start(info) ?? throw new InvalidOperationException("esxi-folder-fuse did not start");
        _processes.Add(process);
        Tool = process;
        process.StandardInput.Close();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        ReadyText = ReadReadyAsync(process, clock);
        if (!waitForReady)
        {
            return;
        }

        var readyText = await ReadyText;
        if (readyText.Length > 0 || process.HasExited)
        {
            throw new InvalidOperationException($"esxi-folder-fuse did not become ready: ready fd \"{readyText.Trim()}\", stderr: {Stderr}");
        }
    }

    private async Task<string> ReadReadyAsync(Process process, Stopwatch clock)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var text = await process.StandardOutput.ReadToEndAsync(timeout.Token);
        StartupTime = clock.Elapsed;
        return text;
    }
}
