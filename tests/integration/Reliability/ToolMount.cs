using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

using EsxiImport.Emulator.Http;
using EsxiImport.Emulator.Inventory;
using EsxiImport.Emulator.Scenarios;
using EsxiImport.VmxParser.Manifest;

namespace EsxiImport.IntegrationTests.Reliability;

/// <summary>
/// The built esxi-folder-fuse as the plugin runs it (separate process, <c>--ready-fd</c>) against
/// an in-process emulator, so a test can inject faults, read the host's counters and restart the
/// host. Disposing kills the tool, detaches the mount and stops the emulator, also on failure.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ToolMount : IAsyncDisposable
{
    private readonly Socket _syslog = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly StringBuilder _stderr = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _records = new();
    private readonly Thread _syslogReader;
    private Process? _tool;

    private ToolMount(Scenario scenario, EmulatorHost host, string dir)
    {
        Scenario = scenario;
        Host = host;
        Dir = dir;
        SyslogPath = Path.Combine(dir, "log");
        _syslog.Bind(new UnixDomainSocketEndPoint(SyslogPath));

        // Read records as they come, as journald does: the kernel queues only 10 datagrams.
        _syslogReader = new Thread(() =>
        {
            var buffer = new byte[65536];
            try
            {
                while (true)
                {
                    var n = _syslog.Receive(buffer);
                    _records.Enqueue(Encoding.UTF8.GetString(buffer, 0, n));
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Disposed: the test is over.
            }
        })
        { IsBackground = true };
        _syslogReader.Start();
    }

    public Scenario Scenario { get; }

    public EmulatorHost Host { get; private set; }

    public string Dir { get; }

    public string SyslogPath { get; }

    public string MountPath => Path.Combine(Dir, "mnt");

    public string PasswordFile => Path.Combine(Dir, "password");

    public string ManifestPath => Path.Combine(Dir, "manifest.json");

    public Process Tool => _tool ?? throw new InvalidOperationException("the tool is not running");

    /// <summary>What the tool wrote on stderr so far.</summary>
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

    public static string ToolPath => Path.Combine(AppContext.BaseDirectory, "esxi-folder-fuse");

    /// <summary>One VM per disk size given, <c>vm{i}</c> with one pattern disk each, on datastore <c>ds</c>.</summary>
    public static Scenario DiskScenario(IReadOnlyList<long> diskBytes, int? hostLimit = null, TimeSpan? sessionIdle = null, string password = "vmware!1") => new()
    {
        Name = "reliability",
        Users = [new ScenarioUser { Name = "root", Password = password }],
        Limits = new HostLimits { MaxFolderRequestsInFlight = hostLimit, SessionIdleTimeout = sessionIdle ?? TimeSpan.FromMinutes(30) },
        Datacenters =
        [
            new ScenarioDatacenter
            {
                Datastores = [new ScenarioDatastore { Name = "ds", Uuid = "65a0b1c2-d3e4f5a6-0718-000c29aabbcc" }],
                Vms = diskBytes.Select((size, i) => new ScenarioVm
                {
                    Name = "vm" + i,
                    Datastore = "ds",
                    Disks = [new ScenarioDisk { CapacityBytes = size, Content = new ContentSpec { Kind = "pattern", Seed = (ulong)(100 + i) } }],
                }).ToList(),
            },
        ],
    };

    public static async Task<ToolMount> StartEmulatorAsync(Scenario scenario, EmulatorOptions? options = null)
    {
        var dir = Directory.CreateTempSubdirectory("esxi-rel-").FullName;
        var host = await EmulatorHost.StartAsync(scenario, options);
        var mount = new ToolMount(scenario, host, dir);
        Directory.CreateDirectory(mount.MountPath);
        File.WriteAllText(mount.PasswordFile, host.User.Password);
        File.SetUnixFileMode(mount.PasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(mount.ManifestPath, ManifestJson.Serialize(ExpectedManifest.From(scenario)));
        return mount;
    }

    /// <summary>Starts the tool and waits for the ready fd; returns the text written there (empty = ready).</summary>
    public async Task<string> StartToolAsync(IEnumerable<string>? extraArgs = null, bool skipCertificateVerification = true, bool passwordFile = true, TimeSpan? timeout = null)
    {
        var fifo = Path.Combine(Dir, "ready-" + Guid.NewGuid().ToString("N")[..8]);
        Mkfifo(fifo);
        var args = new List<string>();
        if (skipCertificateVerification)
        {
            args.Add("--skip-cert-verification");
        }

        args.AddRange(["--user", Host.User.Name]);
        if (passwordFile)
        {
            args.AddRange(["--password-file", PasswordFile]);
        }

        args.AddRange(extraArgs ?? []);
        args.AddRange(["--ready-fd", "3", "127.0.0.1:" + Host.BaseUri.Port, ManifestPath, MountPath]);

        // A shell opens the fifo as fd 3, then becomes the tool (exec), so the pid is the tool's.
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec \"$0\" \"$@\" 3>\"$READY_FIFO\"");
        info.ArgumentList.Add(ToolPath);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["READY_FIFO"] = fifo;
        info.Environment["ESXI_FUSE_SYSLOG_SOCKET"] = SyslogPath;
        _tool = Process.Start(info) ?? throw new InvalidOperationException("the tool did not start");
        _tool.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
        _tool.BeginErrorReadLine();
        _tool.BeginOutputReadLine();

        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        await using var reader = new FileStream(fifo, FileMode.Open, FileAccess.Read);
        using var text = new StreamReader(reader);
        return await text.ReadToEndAsync(cts.Token);
    }

    public string DiskPath(int vm) => Path.Combine(MountPath, "ha-datacenter", "ds", "vm" + vm, "vm" + vm + "-flat.vmdk");

    /// <summary>The bytes the host serves for VM <paramref name="vm"/>'s flat extent.</summary>
    public byte[] ExpectedSha256(int vm)
    {
        var file = (EsxiImport.Emulator.Datastore.DatastoreFile)Host.Datastores.Find(Host.Datastores.DefaultDatacenter, "ds")!.Find("vm" + vm + "/vm" + vm + "-flat.vmdk")!;
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        for (long at = 0; at < file.Length; at += buffer.Length)
        {
            var n = (int)Math.Min(buffer.Length, file.Length - at);
            file.Content.Read(at, buffer.AsSpan(0, n));
            sha.AppendData(buffer, 0, n);
        }

        return sha.GetHashAndReset();
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

    /// <summary>Takes every syslog record received so far (whole datagrams).</summary>
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

    public async ValueTask DisposeAsync()
    {
        if (_tool is { HasExited: false })
        {
            _tool.Kill(entireProcessTree: true);
            await _tool.WaitForExitAsync();
        }

        _tool?.Dispose();
        using (var umount = Process.Start("umount", ["-l", MountPath]))
        {
            await umount.WaitForExitAsync();
        }

        await Host.DisposeAsync();
        _syslog.Dispose();
        _syslogReader.Join(TimeSpan.FromSeconds(5));
        Directory.Delete(Dir, recursive: true);
    }

    private static void Mkfifo(string path)
    {
        using var p = Process.Start("mkfifo", [path]);
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException("mkfifo failed");
        }
    }
}
