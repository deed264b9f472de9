using System.Net;

namespace EsxiImport.IntegrationTests.Emulator;

public sealed class FolderFileTests
{
    private const string Flat = "db01/db01-flat.vmdk";
    private const long FlatSize = 128L << 20;

    [Fact]
    public async Task A_file_is_octet_stream_with_its_length_and_exact_bytes()
    {
        await using var f = await EmulatorFixture.StartAsync();
        using var response = await f.GetAsync("datastore1", "db01/db01.vmx");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().Should().Be("application/octet-stream");
        var body = await response.Content.ReadAsByteArrayAsync();
        response.Content.Headers.ContentLength.Should().Be(body.Length);
        body.Should().Equal(f.Expected("datastore1", "db01/db01.vmx"));
    }

    [Fact]
    public async Task Head_gives_length_and_type_without_a_body()
    {
        await using var f = await EmulatorFixture.StartAsync();
        using var response = await f.SendAsync(HttpMethod.Head, f.Host.FolderUri("datastore1", Flat));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentLength.Should().Be(FlatSize);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/octet-stream");
        (await response.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
    }

    [Theory]
    [InlineData("bytes=0-15", 0, 15)]
    [InlineData("bytes=1000-1999", 1000, 1999)]
    [InlineData("bytes=134217700-", 134217700, 134217727)]
    [InlineData("bytes=134217720-134299999", 134217720, 134217727)]
    [InlineData("bytes=-10", 134217718, 134217727)]
    public async Task Ranges_give_206_with_content_range_and_the_right_bytes(string range, long start, long end)
    {
        await using var f = await EmulatorFixture.StartAsync();
        using var response = await f.GetAsync("datastore1", Flat, range);
        response.StatusCode.Should().Be(HttpStatusCode.PartialContent);
        response.Content.Headers.ContentRange!.ToString().Should().Be($"bytes {start}-{end}/{FlatSize}");
        response.Content.Headers.ContentLength.Should().Be(end - start + 1);
        (await response.Content.ReadAsByteArrayAsync()).Should().Equal(f.Expected("datastore1", Flat, start, end - start + 1));
    }

    [Theory]
    [InlineData("bytes=134217728-")]
    [InlineData("bytes=134217728-134217800")]
    [InlineData("bytes=999999999999-")]
    public async Task A_range_at_or_past_the_end_is_416_with_the_total(string range)
    {
        await using var f = await EmulatorFixture.StartAsync();
        using var response = await f.GetAsync("datastore1", Flat, range);
        response.StatusCode.Should().Be(HttpStatusCode.RequestedRangeNotSatisfiable);
        response.Content.Headers.ContentRange!.ToString().Should().Be($"bytes */{FlatSize}");
    }

    [Fact]
    public async Task A_whole_disk_streams_byte_exact_over_http2()
    {
        await using var f = await EmulatorFixture.StartAsync(httpVersion: HttpVersion.Version20);
        using var response = await f.GetAsync("Local SSD (1)", "Ünïcode web #1 [prod]/Ünïcode web #1-flat.vmdk");
        response.Version.Should().Be(HttpVersion.Version20);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.Content.ReadAsByteArrayAsync();
        body.Length.Should().Be(96 << 20);
        body.AsSpan().SequenceEqual(f.Expected("Local SSD (1)", "Ünïcode web #1 [prod]/Ünïcode web #1-flat.vmdk")).Should().BeTrue();
        f.Host.RequestLog.Entries.Single().BytesSent.Should().Be(96 << 20);
    }

    [Fact]
    public async Task Generated_vm_files_match_the_scenario()
    {
        await using var f = await EmulatorFixture.StartAsync();
        var vmx = await (await f.GetAsync("datastore1", "db01/db01.vmx")).Content.ReadAsStringAsync();
        vmx.Should().Contain("displayName = \"db01\"\n").And.Contain("scsi0:1.fileName = \"/vmfs/volumes/65a0b1c2-1a2b3c4d-5e6f-000c29ddeeff/db01/db01_1.vmdk\"\n");
        var second = await (await f.GetAsync("datastore2", "db01/db01_1.vmdk")).Content.ReadAsStringAsync();
        second.Should().Contain("RW 131072 VMFS \"db01_1-flat.vmdk\"");
        var vcls = await (await f.GetAsync("datastore1", "vCLS-4c4c4544-0042/vCLS-4c4c4544-0042.vmx")).Content.ReadAsStringAsync();
        vcls.Should().Contain("HDCS.agent = \"true\"");
        var sleepy = await (await f.GetAsync("datastore2", "sleepy/sleepy.vmx")).Content.ReadAsStringAsync();
        sleepy.Should().MatchRegex("checkpoint.vmState = \"sleepy-[0-9a-f]{4}.vmss\"");
    }
}
