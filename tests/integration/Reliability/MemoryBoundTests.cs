using System.Globalization;

using EsxiImport.IntegrationTests.Mount;

namespace EsxiImport.IntegrationTests.Reliability;

/// <summary>
/// <c>--cache-size</c> bounds the daemon: with a small budget and many parallel readers its peak
/// RSS stays within its resting size + the budget + the documented constant (README, "Memory":
/// 8 MiB of demand-read overdraft plus up to 24 MiB of buffers, connections and heap; bench/memory
/// measures it). The bound asserted here is generous, for the JIT build on a busy machine.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(ReliabilityCollection.Name)]
public sealed class MemoryBoundTests
{
    private const int Readers = 16;

    private const long Budget = 8L << 20;

    private const long GenerousConstant = 64L << 20;

    [Fact]
    public async Task Sixteen_parallel_readers_with_an_8_MiB_budget_keep_the_daemon_within_budget_and_a_constant()
    {
        await using var mount = await ToolMount.StartEmulatorAsync(DiskScenario.Of(Enumerable.Repeat(24L << 20, Readers).ToList()));
        (await mount.StartToolAsync(["--cache-size", Budget.ToString(CultureInfo.InvariantCulture)])).Should().BeEmpty();
        await mount.WaitForSyslogAsync(r => r.Contains("VM checks finished", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var baseline = Kib(mount, "VmRSS") << 10;

        var outcomes = await Task.WhenAll(Enumerable.Range(0, Readers).Select(i => DiskReader.ReadAsync(mount.DiskPath(i))))
            .WaitAsync(TimeSpan.FromMinutes(3));

        for (var i = 0; i < Readers; i++)
        {
            outcomes[i].Error.Should().BeNull();
            outcomes[i].Sha256.Should().Equal(mount.ExpectedSha256(i));
        }

        var peak = Kib(mount, "VmHWM") << 10;
        Console.WriteLine($"{Readers} readers, budget {Budget >> 20} MiB: baseline {baseline >> 20} MiB, peak {peak >> 20} MiB, beyond baseline + budget {(peak - baseline - Budget) >> 20} MiB");
        (peak - baseline).Should().BeLessThanOrEqualTo(Budget + GenerousConstant);
    }

    private static long Kib(ToolMount mount, string field) =>
        long.Parse(
            File.ReadLines($"/proc/{mount.Tool.Id}/status").Single(l => l.StartsWith(field + ":", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1],
            CultureInfo.InvariantCulture);
}
