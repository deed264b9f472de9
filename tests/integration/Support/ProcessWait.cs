using System.Diagnostics;

namespace EsxiImport.IntegrationTests.Support;

/// <summary>Bounded waits on child processes, so a hung child fails a test instead of stalling CI.</summary>
public static class ProcessWait
{
    /// <summary>Waits for <paramref name="process"/> to exit; false when it did not within <paramref name="timeout"/>.</summary>
    public static async Task<bool> ExitedWithinAsync(Process process, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(process);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
