using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace EsxiImport.IntegrationTests.Plugin;

/// <summary>
/// Where the built tool and the Perl harness are, plus a scratch directory with the files the
/// early-failure cases need and a syslog socket that collects the tool's records. Deletes
/// everything on dispose.
/// </summary>
public sealed class ToolUnderTest : IDisposable
{
    private readonly Socket _syslog = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);

    public ToolUnderTest()
    {
        Dir = Directory.CreateTempSubdirectory("esxi-plugin-").FullName;
        SyslogPath = Path.Combine(Dir, "log");
        _syslog.Bind(new UnixDomainSocketEndPoint(SyslogPath));
        File.WriteAllText(Manifest, """{"ha-datacenter":{"datastores":{"datastore1":"/vmfs/volumes/1/"},"vms":{}}}""");
        File.WriteAllText(BadManifest, "x{");
        File.WriteAllText(PasswordFile, "s3cret");
        File.WriteAllText(PasswordFileWithNewline, "s3cret\n");
        File.WriteAllText(AFile, "not a directory");
        Directory.CreateDirectory(MountDir);
    }

    public string Dir { get; }

    public string SyslogPath { get; }

    public static string ToolPath => Path.Combine(AppContext.BaseDirectory, "esxi-folder-fuse");

    public static string HarnessPath => Path.Combine(RepoRoot(), "tests", "integration", "plugin", "esxi_mount_harness.pl");

    public string Manifest => Path.Combine(Dir, "manifest.json");

    public string BadManifest => Path.Combine(Dir, "bad.json");

    public string PasswordFile => Path.Combine(Dir, "esxi.pw");

    public string PasswordFileWithNewline => Path.Combine(Dir, "esxi-nl.pw");

    public string AFile => Path.Combine(Dir, "a-file");

    public string MountDir => Path.Combine(Dir, "mnt");

    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["ESXI_FUSE_SYSLOG_SOCKET"] = SyslogPath,
    };

    /// <summary>Takes every record the tool has sent so far (message part only).</summary>
    public IReadOnlyList<string> DrainSyslog()
    {
        var records = new List<string>();
        var buffer = new byte[16384];
        while (_syslog.Available > 0)
        {
            var text = Encoding.UTF8.GetString(buffer, 0, _syslog.Receive(buffer));
            records.Add(text[(text.IndexOf("]: ", StringComparison.Ordinal) + 3)..]);
        }

        return records;
    }

    /// <summary>Runs the tool directly (no plugin), returning exit code, stdout and stderr.</summary>
    public async Task<(int Exit, string Stdout, string Stderr)> RunDirectAsync(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(ToolPath) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["ESXI_FUSE_SYSLOG_SOCKET"] = SyslogPath;
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        finally
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
            }
        }

        return (p.ExitCode, await stdout, await stderr);
    }

    public void Dispose()
    {
        _syslog.Dispose();
        Directory.Delete(Dir, recursive: true);
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EsxiImport.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("EsxiImport.slnx not found above " + AppContext.BaseDirectory);
    }
}