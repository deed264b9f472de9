using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Caching;
using EsxiImport.EsxiFuse.Esxi;

namespace EsxiImport.UnitTests.Caching;

/// <summary>
/// The whole read path — page cache, client, HTTP — against a host that spoils a seeded share
/// of its answers: every read gives the file's bytes or an error, never other bytes, never a
/// hang, and the host never sees more requests at once than the limit.
/// </summary>
public sealed class PageCacheOverFolderClientTests
{
    private static readonly RemotePath File = new("ha-datacenter", "datastore1", "vm/disk-flat.vmdk");

    private static async Task<(int Good, int Failed)> ReadEverythingAsync(FaultyFolderHost host, int attempts)
    {
        using var client = new FolderClient(new FolderClientOptions
        {
            Host = HostAddress.Parse($"127.0.0.1:{host.Port}"),
            User = "root",
            Password = "s3cret",
            UseHttps = false,
            MaxAttempts = attempts,
            MaxTimeoutAttempts = attempts,
            MaxRequestsInFlight = 3,
            RequestTimeout = TimeSpan.FromMilliseconds(200),
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
            RetryMaxDelay = TimeSpan.FromMilliseconds(10),

            // The host's 503s are about correctness here, not upstream's 10 s throttling wait.
            RateLimitDelay = TimeSpan.FromMilliseconds(10),
        });
        using var cache = new PageCache(client, new PageCacheOptions { PageSize = 4 << 10, BudgetBytes = 64 << 10, MaxReadAheadInFlight = 3 });
        var good = 0;
        var failed = 0;
        var readers = Enumerable.Range(0, 4).Select(reader => Task.Run(async () =>
        {
            var buffer = new byte[5000];
            for (long offset = reader * 1000; offset < host.Content.Length; offset += buffer.Length)
            {
                try
                {
                    var n = await cache.ReadAsync(File, host.Content.Length, offset, buffer);
                    var expected = host.Content.AsSpan((int)offset, (int)Math.Min(buffer.Length, host.Content.Length - offset));
                    buffer.AsSpan(0, n).SequenceEqual(expected).Should().BeTrue("bytes at {0} must be the file's", offset);
                    Interlocked.Increment(ref good);
                }
                catch (ToolError)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }));
        await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(60));
        client.Statistics.PeakInFlight.Should().BeLessThanOrEqualTo(3);
        return (good, failed);
    }

    [Fact]
    public async Task With_enough_retries_every_read_gives_the_right_bytes()
    {
        var content = new byte[400_000];
        new Random(3).NextBytes(content);
        await using var host = await FaultyFolderHost.StartAsync(content, seed: 11, faultShare: 0.2);

        var (good, failed) = await ReadEverythingAsync(host, attempts: 10);

        failed.Should().Be(0);
        good.Should().BeGreaterThan(0);
        host.Faults.Should().BeGreaterThan(5, "the test must actually meet faults");

        // The host counts a request until its handler returns; the client frees its slot as soon
        // as it rejects a faulted response and drops the connection, while the handler may still
        // be writing. So the host may see one more than the client's limit, never a retry storm.
        host.PeakInFlight.Should().BeLessThanOrEqualTo(3 + 1);
    }

    [Fact]
    public async Task With_faults_beyond_the_retry_budget_reads_fail_but_never_lie()
    {
        var content = new byte[100_000];
        new Random(4).NextBytes(content);
        await using var host = await FaultyFolderHost.StartAsync(content, seed: 12, faultShare: 0.6);

        var (good, failed) = await ReadEverythingAsync(host, attempts: 1);

        failed.Should().BeGreaterThan(0);
        (good + failed).Should().BeGreaterThan(0);
    }
}
