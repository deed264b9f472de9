using System.Globalization;
using System.Runtime.InteropServices;

using EsxiImport.Fuse.Connection;
using EsxiImport.Fuse.FileSystem;
using EsxiImport.FuseTestHost;

// fuse-test-host <mountpoint> [--size BYTES] [--cache keep|page|direct] [--readahead-kb N] [--readers N] [--trace]
// Mounts the generated file system, prints "ready <negotiated connection>" and serves until
// SIGTERM/SIGINT (lazy unmount, drain, exit 0) or until killed (which leaves a stale mount: the
// crash test relies on that).
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: fuse-test-host <mountpoint> [--size BYTES] [--cache keep|page|direct] [--readahead-kb N] [--readers N] [--trace]");
    return 2;
}

var mountPoint = args[0];
long size = 8 * 1024 * 1024;
var cache = FsCacheMode.KeepCache;
int? readAheadKb = GeneratedFileSystem.ReadAheadBytes / 1024;
var readers = 2;
var trace = false;
for (var i = 1; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--size":
            size = long.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--cache":
            cache = args[++i] switch
            {
                "keep" => FsCacheMode.KeepCache,
                "page" => FsCacheMode.PageCache,
                "direct" => FsCacheMode.DirectIo,
                var other => throw new ArgumentException("unknown cache mode " + other),
            };
            break;
        case "--readahead-kb":
            var kb = int.Parse(args[++i], CultureInfo.InvariantCulture);
            readAheadKb = kb > 0 ? kb : null;
            break;
        case "--readers":
            readers = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--trace":
            trace = true;
            break;
        default:
            Console.Error.WriteLine("unknown argument " + args[i]);
            return 2;
    }
}

static void Log(FuseLogLevel level, string message, Exception? error) =>
    Console.Error.WriteLine($"{level}: {message}{(error is null ? string.Empty : ": " + error.Message)}");

// Signals are taken over before "ready" is printed, so a SIGTERM right after it unmounts cleanly.
var stop = new TaskCompletionSource();
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
using var intr = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });

var fs = new GeneratedFileSystem(size, cache);
var options = new FuseMountOptions
{
    Source = GeneratedFileSystem.MountName,
    Subtype = GeneratedFileSystem.MountName,
    ReadAheadKb = readAheadKb,
    AllowOther = true,
    Server = new FuseServerOptions { MaxReadahead = GeneratedFileSystem.ReadAheadBytes, ReaderThreads = readers, TraceWire = trace, Logger = Log },
};
await using var mount = await FileSystemMount.MountAsync(fs, mountPoint, new FileSystemOptions { Logger = Log }, options);
Console.WriteLine($"ready pid={Environment.ProcessId} device={mount.Device} {mount.Connection}");
Console.Out.Flush();

await Task.WhenAny(stop.Task, mount.Completion);
var clean = await mount.UnmountAsync(TimeSpan.FromSeconds(5));
Console.WriteLine(clean ? "unmounted" : "unmounted (forced)");
return 0;
