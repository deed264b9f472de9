using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

using EsxiImport.Emulator.Http;
using EsxiImport.Emulator.Inventory;
using EsxiImport.Emulator.Scenarios;
using EsxiImport.Fuse.Native;
using EsxiImport.IntegrationTests.Support;
using EsxiImport.TestSupport.Emulator;
using EsxiImport.VmxParser.Manifest;

namespace EsxiImport.IntegrationTests.Golden;

/// <summary>
/// Everything one run of a case needs, owned by the run and removed on dispose even after a
/// failure: a temp folder (manifest, password file, mount path), a syslog socket, the emulator,
/// the setup's extra mounts and processes, and any tool process still alive.
/// </summary>
public sealed class CaseSandbox : IAsyncDisposable
{
    private readonly SyslogSink _syslog;
    private Process? _busy;

    private CaseSandbox(GoldenCase c)
    {
        Case = c;
        Dir = Directory.CreateTempSubdirectory("esxi-golden-").FullName;

        // As the plugin's /run/pve/import/esxi/<storage>: others may pass through (not list), so
        // the tool, once it runs as nobody, reaches the mount path to unmount it.
        File.SetUnixFileMode(Dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        _syslog = new SyslogSink(Path.Combine(Dir, "log"));
    }

    public GoldenCase Case { get; }

    public string Dir { get; }

    public string SyslogPath => _syslog.Path;

    public EmulatorHost? Emulator { get; private set; }

    public int ClosedPort { get; private set; }

    public string MountPath => Path.Combine(Dir, "mnt");

    public string ManifestPath => Path.Combine(Dir, "manifest.json");

    public string PasswordPath => Path.Combine(Dir, "esxi.pw");

    public string Host => "127.0.0.1:" + Emulator!.BaseUri.Port;

    public static async Task<CaseSandbox> CreateAsync(GoldenCase c)
    {
        var box = new CaseSandbox(c);
        try
        {
            await box.SetUpAsync();
            return box;
        }
        catch
        {
            await box.DisposeAsync();
            throw;
        }
    }

    /// <summary>Placeholder → value of this run; also the table that turns run values back into placeholders.</summary>
    public IReadOnlyList<(string Placeholder, string Value)> Placeholders =>
    [
        ("{password-file}", PasswordPath), ("{manifest}", ManifestPath), ("{mount-path}", MountPath), ("{dir}", Dir),
        ("{closed-host}", "127.0.0.1:" + ClosedPort), ("{host}", Host), ("{port}", Emulator!.BaseUri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("{closed-port}", ClosedPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("{user}", Emulator.User.Name), ("{tool}", IntegrationTests.Plugin.ToolUnderTest.ToolPath), ("{listing-tool}", ListingToolPath),
    ];

    public static string ListingToolPath => Path.Combine(AppContext.BaseDirectory, "esxi-listvms");

    public string Fill(string text)
    {
        foreach (var (placeholder, value) in Placeholders)
        {
            text = text.Replace(placeholder, value, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>The run's values replaced by placeholders (longest value first, so a path wins over its folder).</summary>
    public string Normalise(string text)
    {
        foreach (var (placeholder, value) in Placeholders.Where(p => p.Placeholder is not ("{user}" or "{port}" or "{closed-port}")).OrderByDescending(p => p.Value.Length))
        {
            text = text.Replace(value, placeholder, StringComparison.Ordinal);
        }

        foreach (var (placeholder, value) in Placeholders.Where(p => p.Placeholder is "{port}" or "{closed-port}"))
        {
            text = System.Text.RegularExpressions.Regex.Replace(text, $"(?<![0-9]){value}(?![0-9])", placeholder);
        }

        return text;
    }

    /// <summary>The tool's environment: the test's syslog socket plus the case's variables.</summary>
    public IReadOnlyDictionary<string, string> Environment
    {
        get
        {
            var env = new Dictionary<string, string>(StringComparer.Ordinal) { ["ESXI_FUSE_SYSLOG_SOCKET"] = SyslogPath };
            foreach (var (k, v) in Case.Env)
            {
                env[k] = Fill(v);
            }

            return env;
        }
    }

    /// <summary>Every record received so far (message part only), in order of arrival.</summary>
    public IReadOnlyList<string> Syslog() => _syslog.Records();

    /// <summary>Waits until a syslog record starts with <paramref name="prefix"/>; false after the deadline.</summary>
    public async Task<bool> WaitForRecordAsync(string prefix, TimeSpan deadline) =>
        await _syslog.WaitForAsync(prefix, deadline) is not null;

    private async Task SetUpAsync()
    {
        var scenario = Case.Scenario == ScenarioLoader.DefaultName
            ? ScenarioLoader.LoadDefault()
            : ScenarioLoader.Load(Path.Combine(Case.Folder, Case.Scenario));
        Emulator = await EmulatorHost.StartAsync(scenario, new EmulatorOptions { FaultRules = Case.Faults });
        ClosedPort = FreePort();

        var password = Emulator.User.Password;
        switch (Case.Setup.PasswordFile)
        {
            case "password": await File.WriteAllTextAsync(PasswordPath, password); break;
            case "trailing-newline": await File.WriteAllTextAsync(PasswordPath, password + "\n"); break;
            case "wrong": await File.WriteAllTextAsync(PasswordPath, "not-" + password); break;
            case "missing": break;
            default: throw new InvalidDataException("setup.password-file: " + Case.Setup.PasswordFile);
        }

        // As the plugin keeps it (/etc/pve/priv is root's alone): a world-readable file would add
        // the tool's warning to every case.
        if (File.Exists(PasswordPath))
        {
            File.SetUnixFileMode(PasswordPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        switch (Case.Setup.Manifest)
        {
            case "listing": await File.WriteAllTextAsync(ManifestPath, ManifestJson.Serialize(ExpectedManifest.From(scenario))); break;
            case "missing": break;
            case "unreadable": Directory.CreateDirectory(ManifestPath); break;
            case "fifo": Run("mkfifo", "-m", "600", ManifestPath); break;
            case "large": await WriteLargeManifestAsync(scenario); break;
            case var file: File.Copy(Path.Combine(Case.Folder, file), ManifestPath); break;
        }

        switch (Case.Setup.MountPath)
        {
            case "directory": Directory.CreateDirectory(MountPath); break;
            case "missing": break;
            case "file": await File.WriteAllTextAsync(MountPath, "not a directory\n"); break;
            case "busy":
                Directory.CreateDirectory(MountPath);
                Run("mount", "-t", "tmpfs", "-o", "size=1m", "golden-busy", MountPath);
                await File.WriteAllTextAsync(Path.Combine(MountPath, "data"), "kept\n");
                _busy = Process.Start(new ProcessStartInfo("sleep", "600") { WorkingDirectory = MountPath })!;
                break;
            case "stale-mount":
                Directory.CreateDirectory(MountPath);
                DeadFuseMount(MountPath);
                break;
            default: throw new InvalidDataException("setup.mount-path: " + Case.Setup.MountPath);
        }
    }

    /// <summary>
    /// The listing, then spaces up to 40 MiB: still one valid manifest, below the tool's size
    /// limit, and larger than a 32 MiB heap limit lets the tool read.
    /// </summary>
    private async Task WriteLargeManifestAsync(Scenario scenario)
    {
        await using var file = File.Create(ManifestPath);
        await file.WriteAsync(System.Text.Encoding.UTF8.GetBytes(ManifestJson.Serialize(ExpectedManifest.From(scenario))));
        var padding = new byte[1 << 20];
        Array.Fill(padding, (byte)' ');
        for (var i = 0; i < 40; i++)
        {
            await file.WriteAsync(padding);
        }
    }

    /// <summary>
    /// A mount of this tool's type whose daemon is gone, as a crash leaves it: mounted on a
    /// /dev/fuse fd that is closed at once.
    /// </summary>
    private static void DeadFuseMount(string path)
    {
        var fd = LibC.Open("/dev/fuse", 2 /* O_RDWR */);
        if (fd < 0)
        {
            throw new InvalidOperationException("cannot open /dev/fuse");
        }

        try
        {
            var rc = LibC.Mount("esxi-folder-fuse", path, "fuse.esxi-folder-fuse", 2 | 4 /* MS_NOSUID | MS_NODEV */, $"fd={fd},rootmode=40000,user_id=0,group_id=0");
            if (rc != 0)
            {
                throw new InvalidOperationException("mount of the dead FUSE file system failed: " + LibC.Describe(System.Runtime.InteropServices.Marshal.GetLastPInvokeError()));
            }
        }
        finally
        {
            LibC.Close(fd);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start)!;
        if (!p.WaitForExit(10_000))
        {
            p.Kill();
            throw new TimeoutException($"{file} did not finish");
        }

        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {p.StandardError.ReadToEnd()}");
        }
    }

    /// <summary>
    /// FUSE mounts at the mount path (per mountinfo, which never touches them) beyond what the
    /// setup put there; and, with a busy setup, a tmpfs that lost its file.
    /// </summary>
    public IReadOnlyList<string> LeftMounts()
    {
        var left = EsxiImport.Fuse.Connection.MountTable.Read()
            .Where(e => e.MountPoint == MountPath && e.FileSystemType.StartsWith("fuse", StringComparison.Ordinal))
            .Select(e => e.FileSystemType + " " + e.Source)
            .ToList();
        if (Case.Setup.MountPath == "busy" && !File.Exists(Path.Combine(MountPath, "data")))
        {
            left.Add("(the tmpfs of the setup is gone, or lost its file)");
        }

        return left;
    }

    /// <summary>Lazily unmounts everything stacked at the mount path.</summary>
    public void UnmountAll()
    {
        for (var i = 0; i < 8 && LibC.Umount2(MountPath, LibC.MNT_DETACH) == 0; i++)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pid in ToolProcesses.Find(Dir))
        {
            ToolProcesses.Kill(pid);
        }

        if (_busy is not null)
        {
            _busy.Kill();
            await _busy.WaitForExitAsync();
            _busy.Dispose();
        }

        UnmountAll();
        _syslog.Dispose();
        if (Emulator is not null)
        {
            await Emulator.DisposeAsync();
        }

        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
            // A detached mount may still pin the folder for a moment; the next attempt clears it.
            await Task.Delay(200);
            Directory.Delete(Dir, recursive: true);
        }
    }
}
