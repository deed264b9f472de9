using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Caching;
using EsxiImport.EsxiFuse.Esxi;

using FsCheck;
using FsCheck.Xunit;

namespace EsxiImport.PropertyTests.Caching;

/// <summary>
/// The whole read path — page cache over the real client — against a host whose answers are a
/// random script of right and wrong ones (server errors, throttling, resets, cut and long bodies,
/// 416 inside the file, smaller and larger totals, wrong ranges, HTML pages, redirects, whole and
/// short 200s), followed by a healthy host. The model is the file: its bytes and its size, as the
/// HEAD gave it. While the host misbehaves, every read gives exactly the model's bytes — all of
/// them up to the end of file, never a short read — or an error; once it is healthy, every read
/// gives the right bytes: nothing a wrong answer said was kept.
/// </summary>
public sealed class ReadPathRecoveryProperties
{
    private static readonly RemotePath File = new("ha-datacenter", "datastore1", "vm/vm-flat.vmdk");

    [Property(MaxTest = 300)]
    public bool Wrong_answers_give_right_bytes_or_errors_and_a_healed_host_gives_right_bytes_everywhere(
        NonNegativeInt fileSize,
        NonNegativeInt pageExponent,
        NonNegativeInt settings,
        HostAnswer[] answers,
        (NonNegativeInt Offset, NonNegativeInt Length)[] whileFaulty,
        (NonNegativeInt Offset, NonNegativeInt Length)[] afterwards)
    {
        var size = 1 + (fileSize.Get % 4000);
        var content = new byte[size];
        new Random(size).NextBytes(content);
        var host = new ScriptedHostAnswers(content);
        host.Script(answers);
        using var client = new FolderClient(
            new FolderClientOptions
            {
                Host = HostAddress.Parse("esxi.invalid"),
                User = "root",
                Password = "pw",
                MaxAttempts = 1 + (settings.Get % 4),
                MaxRequestsInFlight = 1 + (settings.Get % 3),
                RetryBaseDelay = TimeSpan.Zero,
                RetryMaxDelay = TimeSpan.Zero,
                RateLimitDelay = TimeSpan.Zero,
            },
            logger: null,
            transport: host);
        var pageSize = 1 << (4 + (pageExponent.Get % 5));
        using var cache = new PageCache(client, new PageCacheOptions
        {
            PageSize = pageSize,
            BudgetBytes = pageSize * (2L + (settings.Get % 5)),
            OverdraftBytes = pageSize * (long)(settings.Get % 3),
            MaxPagesPerRequest = 1 + (settings.Get % 4),
            MaxReadAheadPages = settings.Get % 6,
            MaxReadAheadInFlight = 1 + (settings.Get % 2),
        });

        foreach (var (offset, length) in whileFaulty)
        {
            if (ReadMatchesModel(cache, content, offset.Get % (size + 8), length.Get % 600) == false)
            {
                return false;
            }
        }

        host.Heal();
        if (!SpinWait.SpinUntil(() => cache.Statistics.FetchesInFlight == 0, TimeSpan.FromSeconds(10)))
        {
            return false; // a fetch that never ends
        }

        // Every read after recovery is right, and then the whole file once more, front to back.
        return afterwards.Select(r => (Offset: r.Offset.Get % (size + 8), Length: (r.Length.Get % 600) + 1))
            .Append((Offset: 0, Length: size))
            .All(r => ReadMatchesModel(cache, content, r.Offset, r.Length) == true);
    }

    /// <summary>True: exactly the model's bytes; null: an error (allowed while the host misbehaves); false: anything else.</summary>
    private static bool? ReadMatchesModel(PageCache cache, byte[] content, int offset, int length)
    {
        var buffer = new byte[length];
        int read;
        try
        {
            read = cache.ReadAsync(File, content.Length, offset, buffer).AsTask().GetAwaiter().GetResult();
        }
        catch (ToolError)
        {
            return null;
        }

        var expected = offset >= content.Length ? 0 : Math.Min(length, content.Length - offset);
        return read == expected && buffer.AsSpan(0, read).SequenceEqual(content.AsSpan(Math.Min(offset, content.Length), read));
    }
}
