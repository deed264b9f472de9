using System.Diagnostics;
using System.Text.Json;

namespace EsxiImport.IntegrationTests.Peers.Vcsim;

/// <summary>The vcsim tests run one at a time and share one populated peer (they only read it).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class VcsimCollection : ICollectionFixture<PopulatedVcsim>
{
    public const string Name = "vcsim peer";
}

/// <summary>
/// One vcsim peer with two datastores, its two model VMs (empty files) and the VMs of
/// vcsim_populate.py (real file content), built, started and populated once for the collection.
/// </summary>
public sealed class PopulatedVcsim : IAsyncLifetime
{
    private VcsimPeer? _peer;
    private JsonDocument? _populated;

    public VcsimPeer Peer => _peer ?? throw new InvalidOperationException("the vcsim peer did not start");

    /// <summary>What vcsim_populate.py made: {"vms": [{"name", "vmx", "power", "files": [...]}]}.</summary>
    public JsonDocument Populated => _populated ?? throw new InvalidOperationException("the vcsim peer was not populated");

    public TimeSpan BuildTime { get; private set; }

    public TimeSpan PopulateTime { get; private set; }

    public IEnumerable<string> PopulatedNames => Populated.RootElement.GetProperty("vms").EnumerateArray().Select(v => v.GetProperty("name").GetString()!);

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        _ = VcsimPeer.BinaryPath;
        BuildTime = clock.Elapsed;
        _peer = await VcsimPeer.StartAsync("-ds", "2");
        clock.Restart();
        try
        {
            _populated = await _peer.PopulateAsync();
        }
        catch
        {
            // Stop it now: a failed start must not leave vcsim or its directories behind.
            await DisposeAsync();
            throw;
        }

        PopulateTime = clock.Elapsed;
    }

    public async Task DisposeAsync()
    {
        _populated?.Dispose();
        _populated = null;
        if (_peer is not null)
        {
            await _peer.DisposeAsync();
            _peer = null;
        }
    }
}
