using System.Globalization;

using EsxiImport.Emulator.Faults;
using EsxiImport.Emulator.Scenarios;
using EsxiImport.FieldReport.Har;

namespace EsxiImport.Emulator.Replay;

/// <summary>
/// The host a recording describes, as a scenario: the datacenters and datastores its
/// <c>/folder</c> requests named, every file that was answered (its size from Content-Range or
/// Content-Length; the recorded body when the recording kept it whole, generated pattern bytes
/// otherwise, since recordings never hold disk contents), folders whose listing was fetched, and
/// fault rules that give back what the host answered beyond a healthy file: each failure on the
/// same request number as recorded, and content types other than the emulator's own.
/// The SOAP side is not in the scenario: <see cref="ReplaySdk"/> answers it from the recording.
/// </summary>
internal static class ReplayScenario
{
    /// <summary>The password of the replay host's one account (the recording has none).</summary>
    public const string Password = "replay";

    private const string DefaultDatacenter = "ha-datacenter";
    private const string FileType = "application/octet-stream";
    private const string ListingType = "text/html; charset=utf-8";

    public static Scenario From(Recorded recorded, string name)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        var datacenters = new List<(string Name, List<(string Name, List<ScenarioFile> Files)> Stores)>();
        var files = new Dictionary<(string Dc, string Ds, string Path), ScenarioFile>();
        var faults = new List<FaultRuleSpec>();
        var seen = new HashSet<(string Dc, string Ds)>();
        foreach (var key in recorded.FolderOrder)
        {
            var entries = recorded.Folder[key];
            var dc = key.Datacenter.Length > 0 ? key.Datacenter : DefaultDatacenter;
            var answered = entries.Where(Healthy).ToList();
            var stores = StoresOf(datacenters, dc);
            if (answered.Count > 0)
            {
                seen.Add((dc, key.Datastore));
            }

            if (key.Datastore.Length == 0)
            {
                continue;
            }

            var store = FilesOf(stores, key.Datastore);
            var listing = answered.Any(IsListing);
            if (key.Path.Length > 0 && answered.Count > 0)
            {
                var file = FileOf(key, answered, listing);
                if (files.TryGetValue((dc, key.Datastore, key.Path), out var known))
                {
                    // A HEAD and a GET of the same file: keep the one that holds more (the body).
                    file = Better(known, file);
                    store.Remove(known);
                }

                files[(dc, key.Datastore, key.Path)] = file;
                store.Add(file);
            }

            faults.AddRange(ContentTypeRules(key, answered, listing));
            faults.AddRange(ChunkedRules(key, answered));
            faults.AddRange(FailureRules(key, entries, exists: answered.Count > 0 || key.Path.Length == 0));
        }

        return new Scenario
        {
            Name = name,
            Users = [new ScenarioUser { Name = recorded.User ?? "root", Password = Password }],
            // Only what answered exists: a datastore every request of which failed (404: the
            // host has none of that name) stays absent, so it fails the same way again.
            Datacenters = [.. datacenters.Where(dc => seen.Any(s => s.Dc == dc.Name)).Select(dc => new ScenarioDatacenter
            {
                Name = dc.Name,
                Datastores = [.. dc.Stores.Where(ds => seen.Contains((dc.Name, ds.Name))).Select(ds => new ScenarioDatastore
                {
                    Name = ds.Name,
                    Uuid = DatastoreUuid(dc.Name, ds.Name),
                    Files = [.. ds.Files.OrderBy(f => f.Path, StringComparer.Ordinal)],
                })],
            })],
            Faults = faults,
        };
    }

    /// <summary>The pattern seed of a generated file: stable per name, and within what a scenario file can state (a non-negative long).</summary>
    public static ulong Seed(string name) => StableHash.Of(name) >> 1;

    /// <summary>An answer that shows the file exists and how long it is: 2xx (its body may have broken off), or 416 (a range past its end).</summary>
    private static bool Healthy(HarEntry e) => e.Response.Status is >= 200 and < 300 or 416;

    private static bool IsListing(HarEntry e) =>
        e.Response.Status is >= 200 and < 300
        && MediaType(e)?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true;

    private static string? ContentType(HarEntry e) => e.Response.Header("Content-Type");

    private static string? MediaType(HarEntry e) => ContentType(e)?.Split(';')[0].Trim();

    private static ScenarioFile FileOf(FolderKey key, List<HarEntry> answered, bool listing)
    {
        if (listing)
        {
            return new ScenarioFile { Path = key.Path + "/", Directory = true };
        }

        var size = answered.Select(SizeOf).Max();
        var whole = answered.FirstOrDefault(e => e.Response.Content.Text is not null && HarDocument.BodyBytes(e.Response.Content)!.Length == size);
        if (whole is not null)
        {
            var content = whole.Response.Content;
            return new ScenarioFile
            {
                Path = key.Path,
                Size = size,
                Content = content.Encoding == HarFormat.Base64
                    ? new ContentSpec { Kind = "base64", Text = content.Text }
                    : new ContentSpec { Kind = "text", Text = content.Text },
            };
        }

        return new ScenarioFile
        {
            Path = key.Path,
            Size = size,
            Content = new ContentSpec { Kind = "pattern", Seed = Seed(key.Datastore + "\n" + key.Path) },
        };
    }

    private static ScenarioFile Better(ScenarioFile a, ScenarioFile b) =>
        a.Directory || b.Directory ? (a.Directory ? a : b)
        : b.Content.Kind is "text" or "base64" ? b
        : a.Content.Kind is "text" or "base64" ? a
        : a.Size >= b.Size ? a : b;

    /// <summary>The size of the file behind an answer: the total of Content-Range, else Content-Length, else the body.</summary>
    private static long SizeOf(HarEntry e)
    {
        foreach (var header in e.Response.Headers)
        {
            if (header.Name.Equals("Content-Range", StringComparison.OrdinalIgnoreCase)
                && header.Value.LastIndexOf('/') is var slash and >= 0
                && long.TryParse(header.Value[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var total))
            {
                return total;
            }
        }

        if (e.Response.Status == 416)
        {
            return 0;
        }

        foreach (var header in e.Response.Headers)
        {
            if (header.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                && long.TryParse(header.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            {
                return length;
            }
        }

        return Math.Max(0, e.Response.Content.Size);
    }

    /// <summary>Content types other than the ones the emulator sends (vcsim types files by extension).</summary>
    private static IEnumerable<FaultRuleSpec> ContentTypeRules(FolderKey key, List<HarEntry> answered, bool listing)
    {
        if (key.Path.Length == 0 || answered.FirstOrDefault(e => e.Response.Status is >= 200 and < 300) is not { } first)
        {
            yield break;
        }

        var type = ContentType(first);
        if (type != (listing ? ListingType : FileType))
        {
            yield return new FaultRuleSpec
            {
                Endpoint = "folder",
                Method = key.Method,
                Match = key.Path,
                Trigger = "always",
                Action = type is null ? "no-content-type" : "content-type:" + type,
            };
        }
    }

    /// <summary>A file the host sent without Content-Length is sent so again.</summary>
    private static IEnumerable<FaultRuleSpec> ChunkedRules(FolderKey key, List<HarEntry> answered)
    {
        if (key.Path.Length > 0 && answered.FirstOrDefault(e => e.Response.Status is >= 200 and < 300) is { } first && ReplayResponse.SentChunked(first))
        {
            yield return new FaultRuleSpec { Endpoint = "folder", Method = key.Method, Match = key.Path, Trigger = "always", Action = "chunked" };
        }
    }

    /// <summary>
    /// One rule per run of equal failures, firing on the request numbers recorded. A rule only
    /// counts the requests that reach it: those an earlier rule of the same request answered do
    /// not, so its skip count leaves them out.
    /// </summary>
    private static IEnumerable<FaultRuleSpec> FailureRules(FolderKey key, List<HarEntry> entries, bool exists)
    {
        var answeredByEarlierRules = 0;
        var i = 0;
        while (i < entries.Count)
        {
            if (Failure(entries[i], exists) is not var (action, body))
            {
                i++;
                continue;
            }

            var run = 1;
            while (i + run < entries.Count && Failure(entries[i + run], exists) == (action, body))
            {
                run++;
            }

            yield return new FaultRuleSpec
            {
                Endpoint = "folder",
                Method = key.Method,
                Match = key.Path,
                Trigger = string.Create(CultureInfo.InvariantCulture, $"skip:{i - answeredByEarlierRules}:{run}"),
                Action = action,
                Body = body,
            };
            if (action != "reset-mid-body")
            {
                answeredByEarlierRules += run;
            }

            i += run;
        }
    }

    /// <summary>
    /// The fault action that reproduces a recorded answer, or null when the scenario gives it by
    /// itself (a healthy answer, 401 before a login, 404 of a file that does not exist).
    /// </summary>
    private static (string Action, string? Body)? Failure(HarEntry e, bool exists)
    {
        var status = e.Response.Status;
        if (e.Error is not null)
        {
            return status == 0 ? ("reset-before", null) : ("reset-mid-body", null);
        }

        if (status is >= 200 and < 400 or 401 or 416 || (status == 404 && !exists))
        {
            return null;
        }

        return ("status:" + status.ToString(CultureInfo.InvariantCulture), e.Response.Content.Text);
    }

    private static List<(string Name, List<ScenarioFile> Files)> StoresOf(List<(string Name, List<(string Name, List<ScenarioFile> Files)> Stores)> datacenters, string name)
    {
        foreach (var dc in datacenters)
        {
            if (dc.Name == name)
            {
                return dc.Stores;
            }
        }

        var stores = new List<(string, List<ScenarioFile>)>();
        datacenters.Add((name, stores));
        return stores;
    }

    private static List<ScenarioFile> FilesOf(List<(string Name, List<ScenarioFile> Files)> stores, string name)
    {
        foreach (var ds in stores)
        {
            if (ds.Name == name)
            {
                return ds.Files;
            }
        }

        var files = new List<ScenarioFile>();
        stores.Add((name, files));
        return files;
    }

    /// <summary>A VMFS-like UUID derived from the names, so a replay serves the same one every run.</summary>
    private static string DatastoreUuid(string datacenter, string datastore)
    {
        var hex = StableHash.Of(datacenter + "\n" + datastore).ToString("x16", CultureInfo.InvariantCulture);
        var more = StableHash.Of(datastore + "\n" + datacenter).ToString("x16", CultureInfo.InvariantCulture);
        return $"{hex[..8]}-{hex[8..16]}-{more[..4]}-{more[4..16]}";
    }
}
