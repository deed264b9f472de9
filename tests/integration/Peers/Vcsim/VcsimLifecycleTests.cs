namespace EsxiImport.IntegrationTests.Peers.Vcsim;

/// <summary>The peer itself: it must stop cleanly, or every CI run would leave datastore directories in /tmp.</summary>
[Collection(VcsimCollection.Name)]
public sealed class VcsimLifecycleTests
{
    [Fact]
    public async Task Sigterm_stops_vcsim_and_removes_its_datastore_directories()
    {
        await using var peer = await VcsimPeer.StartAsync("-ds", "2");
        peer.Ready.Datastores.Should().HaveCount(2);
        peer.Ready.Datastores.Values.Should().OnlyContain(d => Directory.Exists(d));

        var (exit, leftovers) = await peer.StopAsync();
        exit.Should().Be(0, peer.Stderr);
        leftovers.Should().BeEmpty();
    }

    [Fact]
    public async Task Eof_on_its_stdin_stops_it_as_cleanly()
    {
        await using var peer = await VcsimPeer.StartAsync("-vm", "0");
        peer.CloseInput();
        (await peer.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().BeTrue("a peer whose parent is gone must not linger");
        peer.Ready.Datastores.Values.Should().OnlyContain(d => !Directory.Exists(d));
    }
}
