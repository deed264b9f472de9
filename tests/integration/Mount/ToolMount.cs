using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

using EsxiImport.Emulator.Datastore;
using EsxiImport.Emulator.Http;
using EsxiImport.Emulator.Inventory;
using EsxiImport.Emulator.Scenarios;
using EsxiImport.IntegrationTests.Support;
using EsxiImport.TestSupport.Emulator;
using EsxiImport.VmxParser.Manifest;

namespace EsxiImport.IntegrationTests.Mount;

/// <summary>
/// An in-process emulator, the manifest a correct listing of it gives, a syslog socket owned by
/// the test, and the built <c>esxi-folder-fuse</c> run as the plugin runs it (separate process,
/// <c>--ready-fd</c>), so a test can inject faults, read the host's counters and restart the host.
/// Dispose always stops every tool started (SIGTERM, then SIGKILL), detaches whatever is still
/// mounted, stops the emulator and deletes the scratch directory, whether the test passed or not.
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
        ["ESXI_FUSE_RATE_LIMIT_DELAY_MS"] = "50",
    };

    private readonly Socket _syslog = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly ConcurrentQueue<string> _records = new();
    private readonly StringBuilder _stderr = new();
    private readonly List<Process> _processes = [];
    private Thread? _syslogReader;

    private ToolMount(Scenario scenario, EmulatorHost host, string directory)
    {
        Scenario = scenario;
        Host = host;
        Directory = directory;
    }

    public Scenario Scenario { get; }

    /// <summary>The emulator; a new one after <see cref="RestartEmulatorAsync"/>.</summary>
    public EmulatorHost Host { get; private set; }

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

    /// <summary>Starts the emulator and the tool on it, ready unless the options say otherwise.</summary>
    public static async Task<ToolMount> StartAsync(Scenario? scenario = null, ToolMountOptions? options = null)
    {
        options ??= new ToolMountOptions();
        var mount = await StartEmulatorAsync(scenario ?? MountScenarios.Small(), new EmulatorOptions { FaultRules = options.FaultRules });
        try
        {
            await mount.LaunchAsync(options);
            return mount;
        }
        catch
        {
            await mount.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the emulator and writes manifest and password file; the tool is started with <see cref="LaunchAsync"/>.</summary>
    public static async Task<ToolMount> StartEmulatorAsync(Scenario scenario, EmulatorOptions? emulatorOptions = null)
    {
        var host = await EmulatorHost.StartAsync(scenario, emulatorOptions);
        var dir = System.IO.Directory.CreateTempSubdirectory("esxi-mount-").FullName;

        // --change-user tests: the tool becomes nobody, who must reach the mount point and the syslog socket.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        }

        var mount = new ToolMount(scenario, host, dir);
        try
        {
            mount.Prepare();
            return mount;
        }
        catch
        {
            await mount.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts a tool on the emulator and manifest (again after a crash or a stop, for instance).
    /// Returns what the tool wrote to the ready fd: empty when it became ready.
    /// </summary>
    public Task<string> LaunchAsync(ToolMountOptions options)
    {
        MountPoint = options.MountPoint ?? System.IO.Path.Combine(Directory, "mnt");
        if (!IsMountedAt(MountPoint))
        {
            // A stale mount (ENOTCONN) cannot be stat'ed; it is the tool's job to detach it.
            System.IO.Directory.CreateDirectory(MountPoint);
        }

        var args = new List<string> { "--ready-fd", "3", "--user", Host.User.Name };
        if (options.SkipCertificateVerification)
        {
            args.Add("--skip-cert-verification");
        }

        if (options.PasswordFile)
        {
            args.AddRange(["--password-file", PasswordPath]);
        }

        if (options.LogLevel is not null)
        {
            args.AddRange(["--log-level", options.LogLevel]);
        }

        if (options.ManifestText is { } manifest)
        {
            File.WriteAllText(ManifestPath, manifest);
        }

        args.AddRange(options.ExtraArguments);
        args.AddRange([options.HostAuthority ?? Host.BaseUri.Authority, ManifestPath, MountPoint]);
        return StartToolAsync(args, options);
    }

    /// <summary>Stops the emulator and starts a fresh one with the same scenario on the same port.</summary>
    public async Task RestartEmulatorAsync(TimeSpan downtime)
    {
        var port = Host.BaseUri.Port;
        var https = Host.Certificate is not null;
        await Host.DisposeAsync();
        await Task.Delay(downtime);
        Host = await EmulatorHost.StartAsync(Scenario, new EmulatorOptions { Port = port, UseHttps = https });
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

    /// <summary>Takes every syslog record received so far; <see cref="SyslogRecords"/> is empty after it.</summary>
    public IReadOnlyList<string> DrainSyslog()
    {
        Thread.Sleep(100); // records sent just now are still on their way to the reader thread
        var records = new List<string>();
        while (_records.TryDequeue(out var r))
        {
            records.Add(r);
        }

        return records;
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

    /// <summary>
    /// The second half of the plugin's esxi_unmount, after SIGTERM ended the tool: <c>/bin/umount</c>
    /// of the mount path, which the tool left for it. Returns umount's exit code.
    /// </summary>
    public static async Task<int> UmountAsync(string path)
    {
        using var umount = Process.Start("/bin/umount", [path])!;
        await umount.WaitForExitAsync();
        return umount.ExitCode;
    }

    /// <summary>Waits for the tool to exit; false when it did not within <paramref name="timeout"/>.</summary>
    public Task<bool> WaitForExitAsync(TimeSpan timeout) => ProcessWait.ExitedWithinAsync(Tool, timeout);

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

        _syslog.Dispose();
        _syslogReader?.Join(TimeSpan.FromSeconds(5));
        await Host.DisposeAsync();
        if (MountPoint.Length == 0 || !IsMounted())
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private static async Task StopAsync(Process p)
    {
        if (!p.HasExited)
        {
            await SignalAsync(p.Id, "TERM");
            if (!await ProcessWait.ExitedWithinAsync(p, TimeSpan.FromSeconds(10)))
            {
                p.Kill(entireProcessTree: true);
                await p.WaitForExitAsync();
            }
        }

        p.Dispose();
    }

    private void Prepare()
    {
        Manifest = ExpectedManifest.From(Scenario);
        File.WriteAllText(ManifestPath, ManifestJson.Serialize(Manifest));
        File.WriteAllText(PasswordPath, Host.User.Password + "\n");
        _syslog.Bind(new UnixDomainSocketEndPoint(SyslogPath));
        if (!OperatingSystem.IsWindows())
        {
            // Private, so the tool has no reason to warn; tests that want the warning widen it.
            File.SetUnixFileMode(PasswordPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.SetUnixFileMode(SyslogPath, (UnixFileMode)0b110_110_110);
        }

        // Read records as they come, as journald does: the kernel queues only 10 datagrams, and a
        // tool whose sends block or fail behaves differently from one in production.
        _syslogReader = new Thread(ReceiveSyslog) { IsBackground = true, Name = "syslog reader" };
        _syslogReader.Start();
    }

    private void ReceiveSyslog()
    {
        var buffer = new byte[65536];
        try
        {
            while (true)
            {
                var n = _syslog.Receive(buffer);
                var text = Encoding.UTF8.GetString(buffer, 0, n);
                var start = text.IndexOf("]: ", StringComparison.Ordinal);
                _records.Enqueue(start < 0 ? text : text[(start + 3)..]);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The socket was disposed: the test is over.
        }
    }

    /// <summary>
    /// Runs the tool through <c>sh</c> so that fd 3 is the write end of a pipe whose read end is
    /// our stdout: EOF there is "ready", a line there is the early error.
    /// </summary>
    private async Task<string> StartToolAsync(IReadOnlyList<string> args, ToolMountOptions options)
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
        if (options.RunAsUser is { } user)
        {
            info.ArgumentList.Add("setpriv");
            info.ArgumentList.Add("--reuid=" + user);
            info.ArgumentList.Add("--regid=" + user);
            info.ArgumentList.Add("--clear-groups");
        }

        info.ArgumentList.Add(options.ToolPath ?? ToolPath);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["ESXI_FUSE_SYSLOG_SOCKET"] = SyslogPath;
        foreach (var (k, v) in options.Environment)
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
        ReadyText = ReadReadyAsync(process, clock, options.ReadyTimeout);
        if (!options.WaitForReady)
        {
            return string.Empty;
        }

        var readyText = await ReadyText;
        if (options.RequireReady && (readyText.Length > 0 || process.HasExited))
        {
            throw new InvalidOperationException($"esxi-folder-fuse did not become ready: ready fd \"{readyText.Trim()}\", stderr: {Stderr}");
        }

        return readyText;
    }

    private async Task<string> ReadReadyAsync(Process process, Stopwatch clock, TimeSpan readyTimeout)
    {
        using var timeout = new CancellationTokenSource(readyTimeout);
        var text = await process.StandardOutput.ReadToEndAsync(timeout.Token);
        StartupTime = clock.Elapsed;
        return text;
    }
}
