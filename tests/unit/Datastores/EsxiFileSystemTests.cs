using EsxiImport.Diagnostics;
using EsxiImport.Emulator.Datastore;
using EsxiImport.Emulator.Http;
using EsxiImport.Emulator.Inventory;
using EsxiImport.Emulator.Scenarios;
using EsxiImport.EsxiFuse.Caching;
using EsxiImport.EsxiFuse.Datastores;
using EsxiImport.EsxiFuse.Esxi;
using EsxiImport.Fuse.FileSystem;
using EsxiImport.TestSupport.Emulator;
using EsxiImport.VmxParser.Manifest;

namespace EsxiImport.UnitTests.Mount;

/// <summary>
/// The mounted tree's file system against the in-process emulator, without the kernel: what the
/// manifest gives from the start, what lookups learn from the host, what they must not remember,
/// reads, and requests that come before the host connection.
/// </summary>
public sealed class EsxiFileSystemTests : IAsyncLifetime
{
    private const string Dc = "ha-datacenter";

    private const string Yaml = """
        name: fs
        users:
          - name: root
            password: pw
        datacenters:
          - name: ha-datacenter
            datastores:
              - name: ds1
                uuid: 11111111-22222222-3333-000c29000001
              - name: "spare #2"
                uuid: 11111111-22222222-3333-000c29000002
                files:
                  - path: a b.txt
                    content: { kind: text, text: "hello\n" }
            vms:
              - name: vm1
                datastore: ds1
                disks:
                  - slot: scsi0:0
                    capacity: 1MiB
                    content: { kind: pattern, seed: 1 }
              - name: vm2
                datastore: ds1
                disks:
                  - slot: scsi0:0
                    capacity: 1MiB
                    content: { kind: pattern, seed: 2 }
        """;

    private static readonly TimeSpan MissingFor = TimeSpan.FromMilliseconds(400);

    private EmulatorHost _host = null!;
    private Manifest _manifest = null!;
    private FolderClient _client = null!;
    private HostConnection _connection = null!;
    private EsxiFileSystem _fs = null!;

    public async Task InitializeAsync()
    {
        var scenario = ScenarioLoader.Parse(Yaml, "fs.yaml", AppContext.BaseDirectory);
        _host = await EmulatorHost.StartAsync(scenario, new EmulatorOptions { UseHttps = false });
        _manifest = ExpectedManifest.From(scenario);
        _client = new FolderClient(new FolderClientOptions
        {
            Host = HostAddress.Parse(_host.BaseUri.Authority),
            User = "root",
            Password = "pw",
            UseHttps = false,
            MaxAttempts = 2,
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
            RetryMaxDelay = TimeSpan.FromMilliseconds(5),
        });
        _connection = new HostConnection(_client, new PageCache(_client));
        _fs = new EsxiFileSystem(new RemoteTree(_manifest), MissingFor);
    }

    public async Task DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _host.DisposeAsync();
    }

    private async Task<TreeNode> WalkAsync(params string[] names)
    {
        TreeNode node = _fs.Root;
        foreach (var name in names)
        {
            var entry = await _fs.LookupAsync(node, name, CancellationToken.None);
            entry.Should().NotBeNull(name);
            node = entry!.Node;
        }

        return node;
    }

    private byte[] Expected(string ds, string path)
    {
        var file = (DatastoreFile)_host.Datastores.Find(Dc, ds)!.Find(path)!;
        var bytes = new byte[file.Length];
        file.Content.Read(0, bytes);
        return bytes;
    }

    [Fact]
    public async Task The_manifest_tree_lists_without_the_host()
    {
        var dcs = await _fs.ReadDirectoryAsync(_fs.Root, CancellationToken.None);
        dcs.Select(e => e.Name).Should().Equal(Dc);
        var datastores = await _fs.ReadDirectoryAsync(dcs[0].Entry!.Node, CancellationToken.None);
        datastores.Select(e => e.Name).Should().Equal("ds1");
        var vm1 = (await _fs.ReadDirectoryAsync(datastores[0].Entry!.Node, CancellationToken.None)).Single(e => e.Name == "vm1");
        var files = await _fs.ReadDirectoryAsync(vm1.Entry!.Node, CancellationToken.None);
        files.Select(e => e.Name).Should().Equal("vm1.vmdk", "vm1.vmx");
        files.Should().OnlyContain(e => e.Kind == FsNodeKind.RegularFile && e.Entry == null, "sizes are unknown until the host is asked");
    }

    [Fact]
    public async Task Lookups_learn_sizes_and_reads_give_the_hosts_bytes()
    {
        _fs.Connected(_connection);
        var vmx = await WalkAsync(Dc, "ds1", "vm1", "vm1.vmx");
        var attributes = await _fs.GetAttributesAsync(vmx, CancellationToken.None);
        attributes.Size.Should().Be(Expected("ds1", "vm1/vm1.vmx").Length);
        attributes.Permissions.Should().Be(0b100_100_100);

        var open = await _fs.OpenAsync(vmx, CancellationToken.None);
        open.CacheMode.Should().Be(FsCacheMode.KeepCache);
        var buffer = new byte[attributes.Size + 100];
        var n = await _fs.ReadAsync(vmx, open.Handle, 0, buffer, CancellationToken.None);
        buffer[..n].Should().Equal(Expected("ds1", "vm1/vm1.vmx"));
        (await _fs.ReadAsync(vmx, open.Handle, attributes.Size, buffer, CancellationToken.None)).Should().Be(0);

        var listed = await _fs.ReadDirectoryAsync(await WalkAsync(Dc, "ds1", "vm1"), CancellationToken.None);
        listed.Single(e => e.Name == "vm1.vmx").Entry!.Attributes.Size.Should().Be(attributes.Size);
    }

    [Fact]
    public async Task Names_outside_the_manifest_are_found_on_the_host_and_missing_ones_are_null()
    {
        _fs.Connected(_connection);
        var spare = await WalkAsync(Dc, "spare #2");
        (await _fs.GetAttributesAsync(spare, CancellationToken.None)).Kind.Should().Be(FsNodeKind.Directory);
        var text = await WalkAsync(Dc, "spare #2", "a b.txt");
        (await _fs.GetAttributesAsync(text, CancellationToken.None)).Size.Should().Be(6);
        (await WalkAsync(Dc, "ds1", "vm1", "vm1.nvram")).Should().BeOfType<FileNode>();

        var dc = await WalkAsync(Dc);
        (await _fs.LookupAsync(dc, "nope", CancellationToken.None)).Should().BeNull();
        (await _fs.LookupAsync(await WalkAsync(Dc, "ds1"), "nope", CancellationToken.None)).Should().BeNull();
        (await _fs.LookupAsync(_fs.Root, "other-dc", CancellationToken.None)).Should().BeNull("datacenters come only from the manifest");
        (await _fs.ReadDirectoryAsync(dc, CancellationToken.None)).Select(e => e.Name).Should().Contain("spare #2");
    }

    [Fact]
    public async Task A_transient_host_error_is_thrown_and_not_remembered()
    {
        _fs.Connected(_connection);
        var folder = await WalkAsync(Dc, "ds1", "vm1");
        var rule = _host.Faults.Add("folder:HEAD:vm1/vm1.nvram:first:2:status:500");
        var act = async () => await _fs.LookupAsync(folder, "vm1.nvram", CancellationToken.None);
        await act.Should().ThrowAsync<ToolError>();
        rule.Hits.Should().Be(2);
        (await _fs.LookupAsync(folder, "vm1.nvram", CancellationToken.None)).Should().NotBeNull();
    }

    [Fact]
    public async Task A_404_is_remembered_for_a_moment_so_a_lookup_storm_costs_one_request()
    {
        _fs.Connected(_connection);
        var folder = await WalkAsync(Dc, "ds1", "vm1");
        var counter = _host.Faults.Add("folder:HEAD:vm1/nope:always:delay:0");

        for (var i = 0; i < 50; i++)
        {
            (await _fs.LookupAsync(folder, "nope", CancellationToken.None)).Should().BeNull();
        }

        counter.Matched.Should().Be(1);
        await Task.Delay(MissingFor + TimeSpan.FromMilliseconds(100));
        (await _fs.LookupAsync(folder, "nope", CancellationToken.None)).Should().BeNull();
        counter.Matched.Should().Be(2, "once the moment has passed, the host is asked again");
    }

    [Fact]
    public async Task A_manifest_file_the_host_denies_is_missing_for_a_moment_then_found_again()
    {
        _fs.Connected(_connection);
        var folder = await WalkAsync(Dc, "ds1", "vm2");
        var rule = _host.Faults.Add("folder:HEAD:vm2/vm2.vmx:first:1:status:404");

        (await _fs.LookupAsync(folder, "vm2.vmx", CancellationToken.None)).Should().BeNull();
        (await _fs.LookupAsync(folder, "vm2.vmx", CancellationToken.None)).Should().BeNull();
        rule.Matched.Should().Be(1);

        await Task.Delay(MissingFor + TimeSpan.FromMilliseconds(100));
        (await _fs.LookupAsync(folder, "vm2.vmx", CancellationToken.None)).Should().NotBeNull();
    }

    [Fact]
    public void Missing_names_are_swept_when_a_directory_remembers_too_many()
    {
        var dir = new DirectoryNode("d", DirectoryLevel.Folder, Dc, "ds1", "d");
        for (var i = 0; i < 5000; i++)
        {
            dir.RememberMissing("n" + i, now: i, until: i + 10);
        }

        dir.IsKnownMissing("n4999", 4999).Should().BeTrue();
        dir.IsKnownMissing("n0", 4999).Should().BeFalse();
    }

    [Fact]
    public async Task Requests_before_the_connection_wait_for_it()
    {
        var folder = await WalkAsync(Dc, "ds1", "vm1");
        var lookup = _fs.LookupAsync(folder, "vm1.vmx", CancellationToken.None).AsTask();
        await Task.Delay(100);
        lookup.IsCompleted.Should().BeFalse();
        _fs.Connected(_connection);
        (await lookup)!.Attributes.Size.Should().Be(Expected("ds1", "vm1/vm1.vmx").Length);
    }

    [Fact]
    public async Task Requests_waiting_for_a_connection_that_fails_get_EIO()
    {
        var folder = await WalkAsync(Dc, "ds1", "vm1");
        var lookup = _fs.LookupAsync(folder, "vm1.vmx", CancellationToken.None).AsTask();
        _fs.ConnectFailed("esxi.example:443");
        var error = (await lookup.Invoking(t => t).Should().ThrowAsync<ToolError>()).Which;
        error.Errno.Should().Be(5);
        error.Message.Should().Be("no connection to ESXi host esxi.example:443: the mount is going away");
    }

    [Fact]
    public async Task Directories_and_files_refuse_the_wrong_operation()
    {
        _fs.Connected(_connection);
        var vmx = await WalkAsync(Dc, "ds1", "vm1", "vm1.vmx");
        var folder = await WalkAsync(Dc, "ds1", "vm1");
        (await _fs.Invoking(f => f.LookupAsync(vmx, "x", CancellationToken.None).AsTask()).Should().ThrowAsync<ToolError>()).Which.Errno.Should().Be(20);
        (await _fs.Invoking(f => f.OpenAsync(folder, CancellationToken.None).AsTask()).Should().ThrowAsync<ToolError>()).Which.Errno.Should().Be(21);
        _fs.Invoking(f => f.ReadDirectoryAsync(vmx, CancellationToken.None)).Should().Throw<ToolError>().Which.Errno.Should().Be(20);
    }

    [Fact]
    public async Task The_vm_check_adds_extents_and_names_the_broken_vm()
    {
        var tree = new RemoteTree(_manifest);
        var checker = new VmChecker(_manifest, tree, _client);
        await checker.CheckAsync(Dc, "vm1", _manifest.Datacenters[Dc].Vms["vm1"], CancellationToken.None);
        var vm1 = (DirectoryNode)((DirectoryNode)((DirectoryNode)tree.Root.Child(Dc)!).Child("ds1")!).Child("vm1")!;
        ((FileNode)vm1.Child("vm1-flat.vmdk")!).Size.Should().Be(1 << 20);

        _host.Faults.Add("folder:*:vm2/vm2-flat.vmdk:always:status:404");
        var error = (await checker.Invoking(c => c.CheckAsync(Dc, "vm2", _manifest.Datacenters[Dc].Vms["vm2"], CancellationToken.None))
            .Should().ThrowAsync<ToolError>()).Which;
        var chain = error.Chain();
        chain[0].Should().Contain("vm2");
        chain.Should().Contain(l => l.Contains("vm2-flat.vmdk", StringComparison.Ordinal));
    }
}
