using System.Security.Cryptography;

namespace EsxiImport.IntegrationTests.Reliability;

/// <summary>How one whole-file read through the mount ended.</summary>
public sealed record ReadOutcome(byte[]? Sha256, IOException? Error, TimeSpan Elapsed);

/// <summary>Reads a file through the mount the way qemu-img would (1 MiB sequential reads) and hashes it.</summary>
public static class DiskReader
{
    public static Task<ReadOutcome> ReadAsync(string path, Func<long, Task>? atOffset = null) => Task.Run(async () =>
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
            var buffer = new byte[1 << 20];
            long total = 0;
            int n;
            while ((n = await file.ReadAsync(buffer)) > 0)
            {
                sha.AppendData(buffer, 0, n);
                total += n;
                if (atOffset is not null)
                {
                    await atOffset(total);
                }
            }

            return new ReadOutcome(sha.GetHashAndReset(), null, watch.Elapsed);
        }
        catch (IOException e)
        {
            return new ReadOutcome(null, e, watch.Elapsed);
        }
    });
}
