using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

using EsxiImport.IntegrationTests.Mount;
using EsxiImport.IntegrationTests.Plugin;
using EsxiImport.IntegrationTests.Support;

namespace EsxiImport.IntegrationTests.Peers.Vcsim;

/// <summary>What the vcsim peer prints when it serves (tests/peers/vcsim/main.go).</summary>
public sealed record VcsimReady(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("user")] string User,
    [property: JsonPropertyName("password")] string Password,
    [property: JsonPropertyName("datacenter")] string Datacenter,
    [property: JsonPropertyName("datastores")] IReadOnlyDictionary<string, string> Datastores,
    [property: JsonPropertyName("certificateSha256")] string CertificateSha256,
    [property: JsonPropertyName("pid")] int Pid)
{
    public int Port => int.Parse(Host[(Host.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
}

/// <summary>A file as vcsim's datastore directory holds it: the truth the mount is compared with.</summary>
public sealed record DatastoreFile(string Datastore, string Path, long Size);

/// <summary>
/// govmomi's simulator in ESX mode, built from Debian's packages by tests/peers/vcsim/build.sh and
/// run as a child process on a free loopback port with its own certificate and a random password.
/// Stop sends SIGTERM, on which vcsim deletes its datastore directories (SIGKILL would leak them);
/// the peer also exits on EOF on its stdin, so it does not outlive a test host that dies.
/// </summary>
public sealed class VcsimPeer : IAsyncDisposable
{
    private static readonly Lazy<string> s_binary = new(Build);
    private readonly Process _process;
    private readonly StringBuilder _stderr;
    private readonly HttpClient _http;

    private VcsimPeer(Process process, StringBuilder stderr, VcsimReady ready, TimeSpan startup)
    {
        _process = process;
        _stderr = stderr;
        Ready = ready;
        StartupTime = startup;
        var handler = new SocketsHttpHandler
        {
            // Pinned to the certificate the peer made, not "accept anything".
            SslOptions = { RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && Convert.ToHexString(cert.GetCertHash(HashAlgorithmName.SHA256)) == ready.CertificateSha256 },
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri("https://" + ready.Host), Timeout = TimeSpan.FromSeconds(60) };
    }

    public VcsimReady Ready { get; }

    /// <summary>From exec to the ready line.</summary>
    public TimeSpan StartupTime { get; }

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

    /// <summary>Closes the peer's stdin, as the death of the test host would.</summary>
    public void CloseInput() => _process.StandardInput.Close();

    public Task<bool> WaitForExitAsync(TimeSpan timeout) => ProcessWait.ExitedWithinAsync(_process, timeout);

    /// <summary>The cached binary (built on first use; seconds when the cache is warm).</summary>
    public static string BinaryPath => s_binary.Value;

    public static async Task<VcsimPeer> StartAsync(params string[] extraArguments)
    {
        var info = new ProcessStartInfo(BinaryPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in (string[])["-password", "pw-" + Guid.NewGuid().ToString("N")[..12], "-exit-on-stdin-eof", .. extraArguments])
        {
            info.ArgumentList.Add(a);
        }

        var clock = Stopwatch.StartNew();
        var process = Process.Start(info) ?? throw new InvalidOperationException("the vcsim peer did not start");
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        string? line;
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            try
            {
                line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                line = null;
            }
        }

        if (line is null)
        {
            process.Kill();
            await process.WaitForExitAsync();
            lock (stderr)
            {
                throw new InvalidOperationException("the vcsim peer printed no ready line; stderr:\n" + stderr);
            }
        }

        var ready = JsonSerializer.Deserialize<VcsimReady>(line) ?? throw new InvalidDataException("ready line: " + line);
        return new VcsimPeer(process, stderr, ready, clock.Elapsed);
    }

    /// <summary>
    /// Creates the test VMs through vcsim's APIs with pyvmomi (tests/integration/Peers/Vcsim/vcsim_populate.py)
    /// and returns the script's JSON summary.
    /// </summary>
    public async Task<JsonDocument> PopulateAsync()
    {
        var script = System.IO.Path.Combine(AppContext.BaseDirectory, "Peers", "Vcsim", "vcsim_populate.py");
        var (exit, stdout, stderr) = await RunAsync("/usr/bin/python3", TimeSpan.FromMinutes(2), script, Ready.Host, Ready.User, Ready.Password);
        if (exit != 0)
        {
            throw new InvalidOperationException($"populating vcsim failed (exit {exit}):\n{stderr}\nvcsim:\n{Stderr}");
        }

        return JsonDocument.Parse(stdout);
    }

    /// <summary>Every regular file and every directory in vcsim's datastore directories, relative paths with '/'.</summary>
    public (IReadOnlyList<DatastoreFile> Files, IReadOnlyList<(string Datastore, string Path)> Directories) Walk()
    {
        var files = new List<DatastoreFile>();
        var dirs = new List<(string, string)>();
        foreach (var (name, root) in Ready.Datastores.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
            {
                var relative = System.IO.Path.GetRelativePath(root, entry.FullName);
                if (entry is FileInfo f)
                {
                    files.Add(new DatastoreFile(name, relative, f.Length));
                }
                else
                {
                    dirs.Add((name, relative));
                }
            }
        }

        return (files.OrderBy(f => f.Datastore + "/" + f.Path, StringComparer.Ordinal).ToList(), dirs);
    }

    /// <summary>GET of the whole file over vcsim's /folder API; returns status and the SHA-256 of the body.</summary>
    public async Task<(int Status, long Length, string Sha256)> GetAsync(string datastore, string path)
    {
        var url = "/folder/" + string.Join('/', path.Split('/').Select(Uri.EscapeDataString))
            + "?dcPath=" + Uri.EscapeDataString(Ready.Datacenter) + "&dsName=" + Uri.EscapeDataString(datastore);
        using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        long length = 0;
        int n;
        while ((n = await body.ReadAsync(buffer)) > 0)
        {
            sha.AppendData(buffer, 0, n);
            length += n;
        }

        return ((int)response.StatusCode, length, Convert.ToHexString(sha.GetHashAndReset()));
    }

    /// <summary>
    /// SIGTERM, then waits for the exit. Returns the exit code and the datastore directories still
    /// present afterwards (vcsim removes them on SIGTERM). SIGKILL only when it did not exit in time.
    /// </summary>
    public async Task<(int? ExitCode, IReadOnlyList<string> Leftovers)> StopAsync()
    {
        int? exit = null;
        if (!_process.HasExited)
        {
            await ToolMount.SignalAsync(_process.Id, "TERM");
            if (await ProcessWait.ExitedWithinAsync(_process, TimeSpan.FromSeconds(15)))
            {
                exit = _process.ExitCode;
            }
            else
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }
        else
        {
            exit = _process.ExitCode;
        }

        return (exit, Ready.Datastores.Values.Where(Directory.Exists).ToList());
    }

    public async ValueTask DisposeAsync()
    {
        var (_, leftovers) = await StopAsync();
        foreach (var dir in leftovers)
        {
            Directory.Delete(dir, recursive: true);
        }

        _http.Dispose();
        _process.Dispose();
    }

    internal static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string file, TimeSpan limit, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["PYTHONIOENCODING"] = "utf-8";
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!await ProcessWait.ExitedWithinAsync(p, limit))
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {limit}: {await stderr}");
        }

        return (p.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs tests/peers/vcsim/build.sh (it caches the binary) and returns the binary's path.</summary>
    private static string Build()
    {
        var script = System.IO.Path.Combine(ToolUnderTest.RepoRoot(), "tests", "peers", "vcsim", "build.sh");
        var (exit, stdout, stderr) = RunAsync(script, TimeSpan.FromMinutes(10)).GetAwaiter().GetResult();
        if (exit != 0)
        {
            throw new InvalidOperationException($"{script} failed (exit {exit}):\n{stderr}");
        }

        return stdout.Trim();
    }
}
