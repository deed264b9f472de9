using EsxiImport.Fuse.Protocol;
using EsxiImport.Fuse.Protocol.Wire;

namespace EsxiImport.Fuse.Connection;

/// <summary>How a server reads requests and what it offers the kernel in INIT.</summary>
public sealed record FuseServerOptions
{
    /// <summary>Reader threads doing blocking device reads; handlers run on the thread pool.</summary>
    public int ReaderThreads { get; init; } = 2;

    /// <summary>
    /// Readahead answered in INIT (the kernel then uses min(its bdi value, this)); null answers the
    /// kernel's own offer. The file system's owner knows what suits its backend.
    /// </summary>
    public uint? MaxReadahead { get; init; }

    /// <summary>Pages per request (256 = 1 MiB READs), capped by /proc/sys/fs/fuse/max_pages_limit.</summary>
    public ushort MaxPages { get; init; } = 256;

    /// <summary>Background requests (readahead READs) in flight; the kernel default of 12 halves throughput against a slow backend.</summary>
    public ushort MaxBackground { get; init; } = 64;

    /// <summary>0 means three quarters of <see cref="MaxBackground"/>.</summary>
    public ushort CongestionThreshold { get; init; }

    /// <summary>A read-only file system never receives WRITE; this only sets the minimum read buffer.</summary>
    public uint MaxWrite { get; init; } = 4096;

    /// <summary>Ask for READDIRPLUS, so `ls -l` needs no LOOKUP per entry.</summary>
    public bool Readdirplus { get; init; } = true;

    /// <summary>Drop cached pages when a GETATTR shows a changed size or mtime (only for content that can change).</summary>
    public bool AutoInvalidateData { get; init; }

    /// <summary>The capability bits asked for; the reply carries those the kernel also offers.</summary>
    public InitFlags WantedFlags =>
        InitFlags.AsyncRead | InitFlags.ParallelDirops | InitFlags.MaxPages | InitFlags.AsyncDio
        | (Readdirplus ? InitFlags.DoReaddirplus : InitFlags.None)
        | (AutoInvalidateData ? InitFlags.AutoInvalData : InitFlags.None);

    /// <summary>How long a poll waits before a reader looks at the stop flag again.</summary>
    public int PollIntervalMs { get; init; } = 200;

    /// <summary>Log every request and reply at <see cref="FuseLogLevel.Trace"/>.</summary>
    public bool TraceWire { get; init; }

    /// <summary>Where the server reports; null discards.</summary>
    public FuseLogger? Logger { get; init; }
}
