using EsxiImport.Emulator.Http;
using EsxiImport.Emulator.Scenarios;
using EsxiImport.EsxiFuse.Cli;
using EsxiImport.EsxiFuse.Diagnose;
using EsxiImport.EsxiFuse.Esxi;
using EsxiImport.EsxiFuse.Startup;
using EsxiImport.TestSupport.Emulator;
using EsxiImport.UnitTests.Cli;
using EsxiImport.VmxParser.Manifest;

namespace EsxiImport.UnitTests.Diagnose;

/// <summary>An emulated host, its manifest and password file in a temp folder, and a way to run <c>--diagnose</c> in-process against it.</summary>
internal sealed class DiagnoseHost : IAsyncDisposable
{
    private DiagnoseHost(EmulatorHost host, string dir)
    {
        Emulator = host;
        Dir = dir;
    }

    public EmulatorHost Emulator { get; }

    public string Dir { get; }

    public string Host => "127.0.0.1:" + Emulator.BaseUri.Port;

    public string ManifestPath => Path.Combine(Dir, "manifest.json");

    public string PasswordPath => Path.Combine(Dir, "pw");

    public string MountPath => Path.Combine(Dir, "mnt");

    public static async Task<DiagnoseHost> StartAsync(Scenario? scenario = null, params string[] faults)
    {
        scenario ??= ScenarioLoader.LoadDefault();
        var host = await EmulatorHost.StartAsync(scenario, new EmulatorOptions { FaultRules = faults });
        var dir = Directory.CreateTempSubdirectory("esxi-diagnose-").FullName;
        var box = new DiagnoseHost(host, dir);
        await File.WriteAllTextAsync(box.ManifestPath, ManifestJson.Serialize(ExpectedManifest.From(scenario)));
        await File.WriteAllTextAsync(box.PasswordPath, host.User.Password);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(box.PasswordPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        Directory.CreateDirectory(box.MountPath);
        return box;
    }

    /// <summary>The plugin's arguments plus <paramref name="extra"/> (first), with the mount path unless left out.</summary>
    public string[] Args(bool mountPath = true, params string[] extra) =>
        [.. extra, "--skip-cert-verification", "--user", Emulator.User.Name, "--password-file", PasswordPath, Host, ManifestPath, .. mountPath ? new[] { MountPath } : []];

    /// <summary>Runs the tool's startup with <paramref name="args"/>; returns the exit code, stdout and stderr.</summary>
    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string[] args, string? syslogDir = null)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var doubles = new StepDoubles();
        var tuning = new FolderClientTuning(new Dictionary<string, string> { [FolderClientTuning.MaxAttemptsVariable] = "1" });
        var tool = new MountTool(
            new StartupSteps(doubles, doubles, doubles, new DiagnoseRun(tuning)),
            new ToolEnvironment(stdout, stderr, Path.Combine(syslogDir ?? Path.GetTempPath(), "no-syslog-here"), [], OwnsProcess: false));
        var exit = await tool.RunAsync("esxi-folder-fuse", args);
        doubles.MountedWith.Should().BeNull("a diagnosis mounts nothing");
        doubles.Connected.Should().BeNull("a diagnosis serves nothing");
        return (exit, stdout.ToString(), stderr.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        await Emulator.DisposeAsync();
        Directory.Delete(Dir, recursive: true);
    }
}
